namespace Logistics.Lockers.Doors;

/// <summary>
/// The door state machine of a whole bank: unlock pulses (queued per supply rail, capped by a watchdog),
/// expected opening, one re-pulse then Jammed, left-open and forced-open alarms, debounced sensors.
/// Pure logic: coils go through <see cref="ICoilOutput"/>, sensors come in through <see cref="OnDoorSensor"/>
/// and <see cref="OnLatchSensor"/>, time from the <see cref="TimeProvider"/>, facts out through the sink.
/// One lock serialises the bank (a locker has tens of doors and a few events a minute, so contention is nil);
/// the sink is called under it, in order, and must only hand the fact on (e.g. to a queue).
/// </summary>
public sealed partial class DoorController : IDisposable
{
    private const int MaxAttempts = 2;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly DoorOptions _options;
    private readonly CoilWatchdog _coils;
    private readonly RailArbiter _rails = new();
    private readonly Dictionary<CompartmentId, Door> _doors;
    private readonly Action<DoorFact> _sink;
    private bool _started;

    // Set once the controller is disposed: a debounce or pulse timer that fires after it does nothing (the journal
    // behind the sink may be closed by then).
    private bool _disposed;

    public DoorController(IEnumerable<DoorConfig> doors, ICoilOutput coils, DoorOptions options, TimeProvider time, Action<DoorFact> sink)
    {
        options.Validate();
        _time = time;
        _options = options;
        _sink = sink;
        _coils = new CoilWatchdog(coils, options.MaxOnTime, time);
        _coils.Tripped += OnWatchdogTripped;
        _doors = doors.ToDictionary(d => d.Compartment, d => new Door(d));
    }

    public IReadOnlyCollection<CompartmentId> Compartments => _doors.Keys;

    /// <summary>Turns every coil off and takes the doors' current sensor values as the stable state.</summary>
    public void Start(Func<CompartmentId, bool> isOpen, Func<CompartmentId, bool>? latchReleased = null)
    {
        lock (_gate)
        {
            foreach (var door in _doors.Values)
            {
                _coils.SetCoil(door.Config.Compartment, false);
                var open = isOpen(door.Config.Compartment);
                door.DoorSensor = new Debouncer(_time, _options.Debounce, open, v => DoorSettled(door, v), Serialise);
                if (door.Config.HasLatchFeedback)
                {
                    var released = latchReleased?.Invoke(door.Config.Compartment) ?? false;
                    door.LatchSensor = new Debouncer(_time, _options.Debounce, released, v => LatchSettled(door, v), Serialise);
                }

                if (open)
                {
                    // Found open at start-up: no alarm for the past, but it must not stay open unnoticed.
                    BecomeOpen(door);
                }
            }

            _started = true;
        }
    }

    /// <summary>Starts an unlock; <paramref name="unlockId"/> is the journalled intent the facts will carry.</summary>
    public UnlockResult Unlock(CompartmentId compartment, long unlockId)
    {
        lock (_gate)
        {
            EnsureStarted();
            if (!_doors.TryGetValue(compartment, out var door))
            {
                return UnlockResult.UnknownCompartment;
            }

            switch (door.Phase)
            {
                case DoorPhase.Open:
                    return UnlockResult.AlreadyOpen;
                case DoorPhase.Closed:
                    door.UnlockId = unlockId;
                    door.Attempt = 1;
                    door.LatchReported = false;
                    RequestRail(door);
                    return UnlockResult.Started;
                default:
                    return UnlockResult.AlreadyUnlocking;
            }
        }
    }

    /// <summary>A raw (undebounced) door sensor value: true when the door is open.</summary>
    public void OnDoorSensor(CompartmentId compartment, bool open)
    {
        lock (_gate)
        {
            if (_started && _doors.TryGetValue(compartment, out var door))
            {
                door.DoorSensor.OnRaw(open);
            }
        }
    }

    /// <summary>A raw latch feedback value: true when the latch is released.</summary>
    public void OnLatchSensor(CompartmentId compartment, bool released)
    {
        lock (_gate)
        {
            if (_started && _doors.TryGetValue(compartment, out var door))
            {
                door.LatchSensor?.OnRaw(released);
            }
        }
    }

    public DoorStatus Status(CompartmentId compartment)
    {
        lock (_gate)
        {
            var door = _doors[compartment];
            return new DoorStatus(compartment, door.Phase, door.Attempt, door.LeftOpenRaised);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var door in _doors.Values)
            {
                CancelTimer(door);
                _coils.SetCoil(door.Config.Compartment, false);
            }

            _coils.Dispose();
        }
    }

    private void EnsureStarted()
    {
        if (!_started)
        {
            throw new InvalidOperationException("Start the door controller before unlocking.");
        }
    }

    private void Serialise(Action action)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                action();
            }
        }
    }

    private long Now => _time.GetTimestamp();

    private void Emit(DoorFact fact)
    {
        if (!_disposed)
        {
            _sink(fact);
        }
    }

    private sealed class Door(DoorConfig config)
    {
        public DoorConfig Config { get; } = config;

        public DoorPhase Phase { get; set; }

        public int Attempt { get; set; }

        public long? UnlockId { get; set; }

        public ITimer? Timer { get; set; }

        public int TimerGeneration { get; set; }

        public Debouncer DoorSensor { get; set; } = null!;

        public Debouncer? LatchSensor { get; set; }

        public long PulseStartedAt { get; set; }

        public long OpenedAt { get; set; }

        public bool LeftOpenRaised { get; set; }

        public bool LatchReported { get; set; }
    }
}
