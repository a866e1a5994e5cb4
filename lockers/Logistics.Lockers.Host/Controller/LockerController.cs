using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Host.Link;
using Logistics.Lockers.Limits;

namespace Logistics.Lockers.Host.Controller;

/// <summary>
/// The board's brain: the door controller, the code verifier and the journal wired together. The rule that
/// matters: the journal commit comes first (intent before pulse, event before send, command result with the
/// command), so a power cut at any point loses nothing, doubles nothing and never re-pulses by itself.
/// </summary>
public sealed partial class LockerController : IDisposable
{
    private const string CodeKeySetting = "code_key";
    private const string OutOfServicePrefix = "out_of_service:";

    private readonly Journal.Journal _journal;
    private readonly DoorController _doors;
    private readonly PickupCodeVerifier _codes;
    private readonly CommandSignature _signature;
    private readonly SlidingWindowLimit _remoteOpens;
    private readonly TimeProvider _time;
    private readonly HashSet<int> _outOfService = [];
    private readonly Lock _gate = new();

    public LockerController(
        Journal.Journal journal,
        IEnumerable<DoorConfig> doors,
        ICoilOutput coils,
        DoorOptions options,
        CommandSignature signature,
        LockerLimits? limits = null)
    {
        limits ??= new LockerLimits();
        _journal = journal;
        _time = journal.Clock.Time;
        _signature = signature;
        _codes = new PickupCodeVerifier(_time, limits.MaxWrongCodes, limits.WrongCodeWindow);
        _remoteOpens = new SlidingWindowLimit(limits.MaxRemoteOpens, limits.RemoteOpenWindow);
        _doors = new DoorController(doors, coils, options, _time, RecordFact);
    }

    /// <summary>Raised after every event committed to the journal (for screens).</summary>
    public event Action<DevicePayload>? Recorded;

    public DoorController Doors => _doors;

    /// <summary>Fleet updates, when configured: <c>installRelease</c> is refused without them.</summary>
    public IReleaseUpdates? Releases { get; set; }

    public Journal.Journal Journal => _journal;

    /// <summary>
    /// Reports unlocks a crash left unfinished (never re-pulsed), reloads codes and settings, turns every coil
    /// off and reads the doors.
    /// </summary>
    public void Start(Func<CompartmentId, bool> isOpen, Func<CompartmentId, bool>? latchReleased = null)
    {
        foreach (var intent in _journal.UnfinishedIntents())
        {
            Record(w =>
            {
                w.FinishUnlock(intent.Id);
                return w.Append(new DevicePayload.UnlockOutcomeUnknown(intent.Compartment, intent.Cause, intent.IntendedAt));
            });
        }

        if (_journal.Setting(CodeKeySetting) is { } key)
        {
            _codes.SetKey(key);
        }

        foreach (var code in _journal.Codes())
        {
            _codes.Provision(code);
        }

        _remoteOpens.Load(_journal.RemoteOpens(_time.GetUtcNow() - TimeSpan.FromDays(1)));
        _codes.Failures.Load(_journal.CodeFailures(_time.GetUtcNow() - TimeSpan.FromDays(1)));
        foreach (var compartment in _doors.Compartments)
        {
            if (_journal.Setting(OutOfServicePrefix + compartment.Value) is [1])
            {
                _outOfService.Add(compartment.Value);
            }
        }

        _doors.Start(isOpen, latchReleased);
    }

    public bool IsOutOfService(CompartmentId compartment)
    {
        lock (_gate)
        {
            return _outOfService.Contains(compartment.Value);
        }
    }

    public void Dispose() => _doors.Dispose();

    /// <summary>Journals what became of a release (installed, refused, rolled back), for the core.</summary>
    public void RecordUpdate(DevicePayload payload)
    {
        if (payload is not (DevicePayload.UpdateInstalled or DevicePayload.UpdateRefused or DevicePayload.UpdateRolledBack))
        {
            throw new ArgumentException($"{payload.GetType().Name} is not an update event.", nameof(payload));
        }

        Record(w => w.Append(payload));
    }

    /// <summary>Door facts arrive here, in order, under the door controller's lock.</summary>
    private void RecordFact(DoorFact fact) => Record(w =>
    {
        var cause = fact.Unlock is { } intent ? w.CauseOf(intent) : null;
        if (fact.Unlock is { } done && FactPayloads.Concludes(fact))
        {
            w.FinishUnlock(done);
        }

        return w.Append(FactPayloads.Of(fact, cause));
    });

    // Says what was journalled from the payload itself: read back, it could already be gone (the link sent it as soon as
    // it was committed, the core acknowledged it, and the acknowledgement dropped it from the outbox).
    private void Record(Func<Journal.JournalWriter, long> write)
    {
        var appended = _journal.Write(w =>
        {
            write(w);
            return w.LastAppended;
        });
        if (appended is not null)
        {
            Recorded?.Invoke(appended);
        }
    }

    /// <summary>Starts the pulse for an intent already committed; an intent the doors refuse is closed at once.</summary>
    private void Pulse(int compartment, long intent)
    {
        if (_doors.Unlock(new CompartmentId(compartment), intent) != UnlockResult.Started)
        {
            _journal.Write(w => w.FinishUnlock(intent));
        }
    }
}

/// <summary>The board's own limits, whatever the core says.</summary>
public sealed record LockerLimits
{
    public int MaxWrongCodes { get; init; } = 20;

    public TimeSpan WrongCodeWindow { get; init; } = TimeSpan.FromHours(1);

    public int MaxRemoteOpens { get; init; } = 10;

    public TimeSpan RemoteOpenWindow { get; init; } = TimeSpan.FromMinutes(5);
}
