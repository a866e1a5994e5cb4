using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Logistics.Application.Notifications;

namespace Logistics.Web.Tests.Support;

/// <summary>The SMS/e-mail boundary: records what would be sent, so the test reads the code the recipient would get.</summary>
public sealed partial class CapturingSender(Channel channel) : INotificationSender
{
    public ConcurrentQueue<Message> Sent { get; } = new();

    public Channel Channel => channel;

    public Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        Sent.Enqueue(message);
        return Task.CompletedTask;
    }

    /// <summary>The pickup code in the last message about a tracking number, as the recipient would type it.</summary>
    public string? CodeFor(string trackingId, string phone)
    {
        var text = Sent.LastOrDefault(m => m.Text.Contains(trackingId, StringComparison.Ordinal) && m.Text.Contains("Code", StringComparison.Ordinal))?.Text;
        if (text is null)
        {
            return null;
        }

        var code = CodePattern().Match(text).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return text.Contains("4 derniers chiffres", StringComparison.Ordinal) ? code + digits[^4..] : code;
    }

    [GeneratedRegex(@"Code : ([0-9 ]+[0-9])")]
    private static partial Regex CodePattern();
}
