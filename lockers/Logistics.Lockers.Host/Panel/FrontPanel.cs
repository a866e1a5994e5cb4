using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Hardware.Peripherals;
using Logistics.Lockers.Host.Controller;

namespace Logistics.Lockers.Host.Panel;

/// <summary>What a scanned code turned out to be.</summary>
public abstract record ScanOutcome
{
    private ScanOutcome()
    {
    }

    /// <summary>A pickup code (the QR on the tracking page): checked like a typed one.</summary>
    public sealed record PickupCode(CodeCheck Check) : ScanOutcome;

    /// <summary>Anything else (a parcel's label): journalled for the core; <paramref name="Compartment"/> when this locker holds that parcel.</summary>
    public sealed record Label(string Text, int? Compartment) : ScanOutcome;
}

/// <summary>
/// The person at the locker: keys from the keypad, codes from the scanner, and what the display and the buzzer
/// answer, in the board's language. Codes go to the same <see cref="LockerController.EnterCode"/> as the terminal
/// and the web page, so they work offline. A message stays up for a few seconds, then the prompt comes back.
/// The display is written off the caller's thread (an I²C display takes tens of milliseconds a screen, and a door
/// must not wait for it).
/// </summary>
public sealed class FrontPanel : IDisposable
{
    private const int MaxDigits = 16;
    private static readonly TimeSpan MessageFor = TimeSpan.FromSeconds(8);
    private readonly LockerController _controller;
    private readonly Action<IReadOnlyList<string>> _display;
    private readonly Action<Feedback> _feedback;
    private readonly ITimer _backToIdle;
    private readonly Lock _gate = new();
    private string _typed = "";
    private string[] _lines;

    /// <param name="display">Where screens go (the display is expected to show <see cref="PanelText.Idle"/> already).</param>
    public FrontPanel(LockerController controller, PanelText text, TimeProvider time, Action<IReadOnlyList<string>>? display = null, Action<Feedback>? feedback = null)
    {
        _controller = controller;
        Text = text;
        _display = display ?? (_ => { });
        _feedback = feedback ?? (_ => { });
        _lines = text.Idle;
        _backToIdle = time.CreateTimer(_ => Idle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        controller.Recorded += OnRecorded;
    }

    public PanelText Text { get; }

    /// <summary>What the display shows now (with accents; the display itself drops them).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines;
            }
        }
    }

    /// <summary>A key from the keypad: digits build the code, <c>*</c> clears it, <c>#</c> enters it.</summary>
    public void Key(char key)
    {
        string? entered = null;
        lock (_gate)
        {
            switch (key)
            {
                case >= '0' and <= '9' when _typed.Length < MaxDigits:
                    _typed += key;
                    break;
                case '*':
                    _typed = "";
                    break;
                case '#' when _typed.Length > 0:
                    (entered, _typed) = (_typed, "");
                    break;
                default:
                    return;
            }

            if (entered is null)
            {
                Show(_typed.Length == 0 ? Text.Idle : [Text.CodePrompt, Grouped(_typed)], MessageFor * 4);
            }
        }

        _feedback(Feedback.Key);
        if (entered is not null)
        {
            Submit(entered);
        }
    }

    /// <summary>A whole code (typed on the page, or scanned).</summary>
    public CodeCheck Submit(string code)
    {
        var check = _controller.EnterCode(code);
        lock (_gate)
        {
            _typed = "";
            Show(Text.Answer(check), MessageFor);
        }

        _feedback(check is CodeCheck.Accepted ? Feedback.Accepted : Feedback.Refused);
        return check;
    }

    /// <summary>
    /// A code from the scanner: digits (spaces and dashes aside) are a pickup code, as the tracking page's QR carries
    /// it; anything else is a parcel's label, journalled as <see cref="DevicePayload.LabelScanned"/> for the core.
    /// </summary>
    public ScanOutcome Scan(string text)
    {
        var normalised = new string([.. text.Where(c => c is not (' ' or '-'))]);
        if (normalised.Length is >= 4 and <= MaxDigits && normalised.All(char.IsAsciiDigit))
        {
            return new ScanOutcome.PickupCode(Submit(normalised));
        }

        var label = text.Trim();
        label = label.Length > 200 ? label[..200] : label;
        var here = _controller.Journal.Codes().FirstOrDefault(c => string.Equals(c.ParcelId, label, StringComparison.OrdinalIgnoreCase));
        _controller.RecordLabelScan(label);
        lock (_gate)
        {
            Show(here is null ? Text.LabelScanned(label) : Text.ParcelHere(label, here.Compartment.Value), MessageFor);
        }

        _feedback(Feedback.Accepted);
        return new ScanOutcome.Label(label, here?.Compartment.Value);
    }

    public void Dispose()
    {
        _controller.Recorded -= OnRecorded;
        _backToIdle.Dispose();
    }

    private static string Grouped(string digits) =>
        string.Join(' ', Enumerable.Range(0, (digits.Length + 3) / 4).Select(i => digits.Substring(4 * i, Math.Min(4, digits.Length - (4 * i)))));

    private void OnRecorded(DevicePayload payload)
    {
        if (payload is DevicePayload.DoorClosed closed)
        {
            lock (_gate)
            {
                Show(Text.DoorClosed(closed.Compartment), MessageFor / 2);
            }
        }
    }

    private void Idle()
    {
        lock (_gate)
        {
            _typed = "";
            Show(Text.Idle, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Under the gate: new lines, and when to go back to the prompt.</summary>
    private void Show(string[] lines, TimeSpan @for)
    {
        _lines = lines;
        _display(lines);
        _backToIdle.Change(@for, Timeout.InfiniteTimeSpan);
    }
}
