using System.Net.Http.Json;
using System.Net.Mail;

namespace Logistics.Application.Notifications;

/// <summary>For the demo: writes each message to the log instead of sending it.</summary>
public sealed class LogSender(Channel channel, ILogger<LogSender> logger) : INotificationSender
{
    public Channel Channel => channel;

    public Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        logger.LogInformation("[{Channel} to {To}] {Subject}: {Text}", message.Channel, message.To, message.Subject, message.Text);
        return Task.CompletedTask;
    }
}

/// <summary>E-mail through an SMTP relay.</summary>
public sealed class SmtpSender(SmtpSettings settings) : INotificationSender
{
    public Channel Channel => Channel.Email;

    public async Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient(settings.Host, settings.Port) { EnableSsl = settings.UseTls };
        if (!string.IsNullOrEmpty(settings.User))
        {
            client.Credentials = new System.Net.NetworkCredential(settings.User, settings.Password);
        }

        using var mail = new MailMessage(settings.From, message.To, message.Subject, message.Text);
        await client.SendMailAsync(mail, cancellationToken);
    }
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
            throw new HttpRequestException($"The SMS gateway answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }
}

public sealed record SmsGatewaySettings(Uri Url, string? Token, string SenderName = "Logistics");
