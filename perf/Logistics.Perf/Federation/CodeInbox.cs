using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Logistics.Application.Notifications;

namespace Logistics.Perf.Federation;

/// <summary>
/// The recipients' phones: the core's SMS sender replaced by one that keeps the pickup code each phone is sent, as the
/// tests' capturing sender does (every parcel of the day has its own phone, so a phone names a parcel).
/// </summary>
internal sealed partial class CodeInbox(Channel channel) : INotificationSender
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _codes = new();

    public Channel Channel => channel;

    public Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        var match = CodePattern().Match(message.Text);
        if (match.Success)
        {
            var digits = Digits(message.To);
            var code = match.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
            // The message says when the phone's last 4 digits follow the code.
            Slot(digits).TrySetResult(message.Text.Contains("4 derniers chiffres", StringComparison.Ordinal) ? code + digits[^4..] : code);
        }

        return Task.CompletedTask;
    }

    /// <summary>The code the phone is sent, once it is.</summary>
    public Task<string> CodeFor(string phone) => Slot(Digits(phone)).Task;

    private TaskCompletionSource<string> Slot(string digits) =>
        _codes.GetOrAdd(digits, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static string Digits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);

    [GeneratedRegex(@"Code : ([0-9 ]+[0-9])")]
    private static partial Regex CodePattern();
}
