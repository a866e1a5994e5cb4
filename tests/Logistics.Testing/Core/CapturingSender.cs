using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Logistics.Application.Notifications;

namespace Logistics.Testing.Core;

/// <summary>The SMS/e-mail boundary: records what would be sent, so a test reads the code the recipient gets; can be told to fail.</summary>
public sealed partial class CapturingSender(Channel channel) : INotificationSender
{
    public ConcurrentQueue<Message> Sent { get; } = new();

    /// <summary>The next sends that fail, as a gateway that is down would.</summary>
    public int FailuresToInject { get; set; }

    /// <summary>What an injected failure says (real gateways and mail servers quote the address they refused).</summary>
    public string FailureMessage { get; set; } = "gateway unavailable (injected)";

    /// <summary>Runs as each message goes out, after it is recorded (a slow gateway, a crash right after sending).</summary>
    public Func<Message, Task>? AfterSend { get; set; }

    /// <summary>Sends never answer (a gateway that accepted the connection and went silent), until set back.</summary>
    public bool Hangs { get; set; }

    /// <summary>Sends under way in a silent gateway.</summary>
    public int Hanging => _hanging;

    private int _hanging;

    public Channel Channel => channel;

    public Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        if (Hangs)
        {
            return HangAsync();
        }

        if (FailuresToInject > 0)
        {
            FailuresToInject--;
            throw new HttpRequestException(FailureMessage);
        }

        Sent.Enqueue(message);
        return AfterSend?.Invoke(message) ?? Task.CompletedTask;
    }

    private async Task HangAsync()
    {
        // Deaf to cancellation too, as a blocked socket can be: only the caller's own timeout frees it.
        Interlocked.Increment(ref _hanging);
        await Task.Delay(Timeout.Infinite).WaitAsync(TimeSpan.FromMinutes(10));
    }

    /// <summary>The pickup code in the last message about a tracking number, as the recipient would type it.</summary>
    public string CodeFor(string trackingId, string? phone) =>
        FindCodeFor(trackingId, phone) ?? throw new InvalidOperationException($"No pickup code was sent for {trackingId}.");

    /// <summary>The same, or null while no such message was sent.</summary>
    public string? FindCodeFor(string trackingId, string? phone)
    {
        var text = Sent.LastOrDefault(m => m.Text.Contains(trackingId, StringComparison.Ordinal) && m.Text.Contains("Code", StringComparison.Ordinal))?.Text;
        if (text is null)
        {
            return null;
        }

        var code = CodePattern().Match(text).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        // The message says when the phone's last 4 digits follow the code.
        return text.Contains("4 derniers chiffres", StringComparison.Ordinal) && digits.Length >= 4 ? code + digits[^4..] : code;
    }

    [GeneratedRegex(@"Code : ([0-9 ]+[0-9])")]
    private static partial Regex CodePattern();
}
