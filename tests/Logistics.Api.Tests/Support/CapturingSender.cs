using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Logistics.Application.Notifications;

namespace Logistics.Api.Tests.Support;

/// <summary>The SMS/e-mail boundary: records what would be sent; can be told to fail.</summary>
public sealed partial class CapturingSender(Channel channel) : INotificationSender
{
    public ConcurrentQueue<Message> Sent { get; } = new();

    public int FailuresToInject { get; set; }

    public Channel Channel => channel;

    public Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        if (FailuresToInject > 0)
        {
            FailuresToInject--;
            throw new HttpRequestException("gateway unavailable (injected)");
        }

        Sent.Enqueue(message);
        return Task.CompletedTask;
    }

    /// <summary>The pickup code in the last message about a tracking number, as the recipient would type it.</summary>
    public string CodeFor(string trackingId, string? phone)
    {
        var text = Sent.Last(m => m.Text.Contains(trackingId, StringComparison.Ordinal) && m.Text.Contains("Code", StringComparison.Ordinal)).Text;
        var code = CodePattern().Match(text).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? code + digits[^4..] : code;
    }

    [GeneratedRegex(@"Code : ([0-9 ]+[0-9])")]
    private static partial Regex CodePattern();
}
