using System.Globalization;
using System.Text;
using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Lockers.Host.Board;
using Logistics.Lockers.Host.Panel;

namespace Logistics.Lockers.Host.Terminal;

/// <summary>
/// The keypad and screen as a terminal: a person types a pickup code and Enter. With a simulated board the
/// same prompt also plays the person at the doors (open/close/force) and the faults (jam, stuck sensor, bounce).
/// </summary>
public sealed class TerminalUi
{
    private readonly LockerApp _app;
    private readonly TextReader _input;
    private readonly TextWriter _output;

    public TerminalUi(LockerApp app, TextReader input, TextWriter output)
    {
        _app = app;
        _input = input;
        _output = TextWriter.Synchronized(output);
        _app.Controller.Recorded += payload => _output.WriteLine("  · " + Describe(payload));
        if (_app.Link is { } link)
        {
            link.StateChanged += state => _output.WriteLine($"  · link {state}");
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _output.WriteLine(Help);
        _output.WriteLine(Doors());
        while (!cancellationToken.IsCancellationRequested)
        {
            _output.Write("> ");
            var line = await _input.ReadLineAsync(cancellationToken);
            if (line is null || !Handle(line.Trim()))
            {
                return;
            }
        }
    }

    /// <summary>One line of input; false when the person asked to quit.</summary>
    public bool Handle(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case []:
            case ["doors" or "d"]:
                _output.WriteLine(Doors());
                return true;
            case ["quit" or "q"]:
                return false;
            case ["help" or "?"]:
                _output.WriteLine(Help);
                return true;
            case ["scan", ..]:
                _output.WriteLine(Scanned(_app.Panel.Scan(line["scan".Length..].Trim())));
                _output.WriteLine(Screen());
                return true;
            case ["keys", var keys]:
                foreach (var key in keys)
                {
                    _app.Panel.Key(key);
                }

                _output.WriteLine(Screen());
                return true;
            case ["screen"]:
                _output.WriteLine(Screen());
                return true;
            case [var verb, var number, .. var rest] when Door(number) is { } door:
                _output.WriteLine(Play(verb, door, rest));
                return true;
            default:
                _output.WriteLine(Answer(_app.Panel.Submit(line)));
                return true;
        }
    }

    public static string Answer(CodeCheck check) => check switch
    {
        CodeCheck.Accepted { Shared.Count: > 0 } a => $"Code accepted: doors {string.Join(", ", a.All.Select(o => o.Compartment.Value))} are opening. Please take your parcels and close each door.",
        CodeCheck.Accepted a => $"Code accepted: door {a.Compartment} is opening. Please take your parcel and close the door.",
        CodeCheck.Rejected { Reason: RejectionReason.Throttled } r => $"Too many wrong codes. Please try again in {r.RetryAfterMinutes} minutes.",
        CodeCheck.Rejected { Reason: RejectionReason.Expired } => "This code has expired. Please contact the shop.",
        CodeCheck.Rejected { Reason: RejectionReason.NotProvisioned } => "This locker has no pickup codes yet. Please try again later.",
        CodeCheck.Rejected r when r.RetryAfter > TimeSpan.Zero => $"Wrong code. Too many wrong codes: please try again in {r.RetryAfterMinutes} minutes.",
        _ => "Wrong code. Please check the code in your message.",
    };

    /// <summary>The display as the person sees it, framed.</summary>
    public string Screen()
    {
        var lines = _app.Peripherals.SimulatedDisplay?.Lines ?? _app.Panel.Lines;
        var width = lines.Max(l => l.Length);
        return string.Join('\n', [$"  +{new string('-', width)}+", .. lines.Select(l => $"  |{l.PadRight(width)}|"), $"  +{new string('-', width)}+"]);
    }

    private static string Scanned(ScanOutcome outcome) => outcome switch
    {
        ScanOutcome.PickupCode p => Answer(p.Check),
        ScanOutcome.Label { Compartment: { } n } l => $"Label {l.Text}: that parcel is in compartment {n}.",
        ScanOutcome.Label l => $"Label {l.Text} read; the core is told.",
        _ => "",
    };

    public string Doors()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Locker {_app.Config.DeviceId} — link {_app.Link?.State.ToString() ?? "not configured"} — events waiting {_app.Journal.LastSeq - _app.Journal.AckedSeq}");
        text.AppendLine();
        foreach (var compartment in _app.Controller.Doors.Compartments.OrderBy(c => c.Value))
        {
            var status = _app.Controller.Doors.Status(compartment);
            var shown = status.Phase switch
            {
                DoorPhase.Open => status.LeftOpenAlarm ? "OPEN (left open!)" : "OPEN",
                DoorPhase.Closed => "closed",
                _ => "unlocking",
            };
            if (_app.Controller.IsOutOfService(compartment))
            {
                shown += " (out of service)";
            }

            text.Append(CultureInfo.InvariantCulture, $"  [{compartment.Value,2}] {shown,-24}");
            if (compartment.Value % 3 == 0)
            {
                text.AppendLine();
            }
        }

        return string.Join('\n', text.ToString().Split('\n').Select(l => l.TrimEnd())).TrimEnd();
    }

    private SimulatedDoor? Door(string number)
    {
        if (_app.Hardware.Simulated is not { } board || !int.TryParse(number, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        var index = _app.Config.Compartments.ToList().FindIndex(c => c.Number == n);
        return index < 0 ? null : board.Doors[index];
    }

    private static string Play(string verb, SimulatedDoor door, string[] rest)
    {
        switch (verb)
        {
            case "open" or "o":
                return door.PersonOpens() ? "You open the door." : "The door is locked.";
            case "close" or "c":
                door.PersonCloses();
                return "You close the door.";
            case "force" or "f":
                door.ForceOpen();
                return "You force the door open.";
            case "jam":
                door.Jammed = !door.Jammed;
                return door.Jammed ? "The lock is now jammed." : "The lock works again.";
            case "stuck":
                door.SensorFault = rest switch
                {
                    ["open"] => SensorFault.StuckOpen,
                    ["closed"] => SensorFault.StuckClosed,
                    _ => SensorFault.None,
                };
                return $"Door sensor: {door.SensorFault}.";
            case "bounce":
                door.Bounces = rest is [var b] && int.TryParse(b, CultureInfo.InvariantCulture, out var bounces) ? bounces : 3;
                return $"The reed switch now bounces {door.Bounces} times.";
            default:
                return "Unknown door action.";
        }
    }

    internal static string Describe(DevicePayload payload) => payload switch
    {
        DevicePayload.DoorOpened p => $"door {p.Compartment} opened{(p.Authorised ? "" : " WITHOUT an unlock")}",
        DevicePayload.DoorClosed p => $"door {p.Compartment} closed",
        DevicePayload.PulseSent p => $"lock {p.Compartment} pulsed (attempt {p.Attempt}, {p.OnTimeMs} ms)",
        DevicePayload.LatchReleased p => $"latch {p.Compartment} released",
        DevicePayload.Jammed p => $"ALARM lock {p.Compartment} jammed",
        DevicePayload.DoorLeftOpen p => $"ALARM door {p.Compartment} left open",
        DevicePayload.ForcedOpen p => $"ALARM door {p.Compartment} forced open",
        DevicePayload.CoilWatchdogTripped p => $"ALARM coil {p.Compartment} cut by the watchdog",
        DevicePayload.UnlockOutcomeUnknown p => $"unlock of door {p.Compartment} interrupted: outcome unknown",
        DevicePayload.CodeAccepted p => $"parcel {p.ParcelId} collected from door {p.Compartment}",
        DevicePayload.CodeRejected p => $"code refused ({p.Reason})",
        DevicePayload.CommandResult p => $"command {p.CommandId}: {p.Status} {p.Detail}",
        DevicePayload.LabelScanned p => $"label {p.Text} scanned",
        DevicePayload.UpdateInstalled p => $"release {p.ToVersion} installed (was {p.FromVersion}): restarting",
        DevicePayload.UpdateRolledBack p => $"release {p.FailedVersion} rolled back to {p.RestoredVersion}: {p.Reason}",
        DevicePayload.UpdateRefused p => $"release {p.Version} refused: {p.Reason}",
        _ => payload.GetType().Name,
    };

    private const string Help = """
        Type your pickup code and press Enter. Keypad: keys 1234# (* clears) — scanner: scan TEXT — display: screen
        Simulated board: open N | close N | force N | jam N | stuck N open|closed|ok | bounce N K — doors: d — quit: q
        """;
}
