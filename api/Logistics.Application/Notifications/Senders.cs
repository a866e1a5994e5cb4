using System.Net.Http.Json;

namespace Logistics.Application.Notifications;

/// <summary>
/// A channel deliberately left without a sender (<c>LOGISTICS_NO_NOTIFICATIONS</c>): the message is dropped and the log
/// says only that one was dropped, never to whom or what it said.
/// </summary>
public sealed class DroppingSender(Channel channel, ILogger<DroppingSender> logger) : INotificationSender
{
    public Channel Channel => channel;

    public Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        logger.LogInformation("A {Channel} message was not sent: notifications are off", message.Channel);
        return Task.CompletedTask;
    }
}

/// <summary>E-mail through an SMTP relay (MailKit), over TLS: STARTTLS required, or TLS from the start on port 465.</summary>
public sealed class SmtpSender(SmtpSettings settings) : INotificationSender
{
    public Channel Channel => Channel.Email;

    public async Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        var mail = new MimeKit.MimeMessage();
        mail.From.Add(MimeKit.MailboxAddress.Parse(settings.From));
        mail.To.Add(MimeKit.MailboxAddress.Parse(message.To));
        mail.Subject = message.Subject;
        mail.Body = new MimeKit.TextPart("plain") { Text = message.Text };
        using var client = new MailKit.Net.Smtp.SmtpClient { Timeout = (int)TimeSpan.FromSeconds(20).TotalMilliseconds };
        // Plain SMTP only to a relay on this machine; anywhere else STARTTLS is required (MailKit refuses a server without it).
        var security = settings.Port == 465 ? MailKit.Security.SecureSocketOptions.SslOnConnect
            : settings.UseTls || !IsLoopback(settings.Host) ? MailKit.Security.SecureSocketOptions.StartTls
            : MailKit.Security.SecureSocketOptions.None;
        await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.User))
        {
            await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
        }

        await client.SendAsync(mail, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}

public sealed record SmtpSettings(string Host, int Port, string From, bool UseTls = true, string? User = null, string? Password = null);

/// <summary>SMS through an HTTP gateway: POST {"to","text"} with a bearer token; any 2xx is a success.</summary>
public sealed class HttpSmsSender(HttpClient http, SmsGatewaySettings settings) : INotificationSender
{
    public Channel Channel => Channel.Sms;

    public async Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = JsonContent.Create(new { to = message.To, text = message.Text, sender = settings.SenderName }),
        };
        if (!string.IsNullOrEmpty(settings.Token))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.Token);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The SMS gateway answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }
}

public sealed record SmsGatewaySettings(Uri Url, string? Token, string SenderName = "Logistics");
