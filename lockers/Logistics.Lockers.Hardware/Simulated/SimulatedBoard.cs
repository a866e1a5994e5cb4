using Logistics.Lockers.Hardware.Gpio;

namespace Logistics.Lockers.Hardware.Simulated;

/// <summary>
/// A board with doors instead of wires, for tests and the demo: relays that pulse latches, doors a person opens
/// and closes, and faults to inject (jammed locks, stuck or bouncing sensors, power cuts). Time comes from the
/// given <see cref="TimeProvider"/>, so with a manual clock nothing ever sleeps.
/// </summary>
public sealed class SimulatedBoard : GpioDriver
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly PinMode?[] _modes;
    private readonly bool[] _levels;
    private readonly List<SimulatedDoor> _doors = [];
    private readonly List<ITimer> _timers = [];
    private bool _powered = true;

    public SimulatedBoard(TimeProvider time, int pinCount = 64)
    {
        _time = time;
        _modes = new PinMode?[pinCount];
        _levels = new bool[pinCount];
    }

    public override int PinCount => _modes.Length;

    public IReadOnlyList<SimulatedDoor> Doors => _doors;

    /// <summary>Every output write: pin, level and the clock's time, for asserting pulse lengths and overlaps.</summary>
    public List<(int Pin, bool Level, DateTimeOffset At)> OutputLog { get; } = [];

    public bool IsPowered
    {
        get
        {
            lock (_gate)
            {
                return _powered;
            }
        }
    }

    public SimulatedDoor AddDoor(int relayPin, int sensorPin, int? latchPin = null)
    {
        CheckPin(relayPin);
        CheckPin(sensorPin);
        var door = new SimulatedDoor(this, relayPin, sensorPin, latchPin);
        lock (_gate)
        {
            _doors.Add(door);
        }

        return door;
    }

    /// <summary>The supply drops: every output goes low, every line is forgotten, every call fails until restored.</summary>
    public void PowerCut()
    {
        List<SimulatedDoor> relaxed;
        lock (_gate)
        {
            _powered = false;
            for (var pin = 0; pin < _levels.Length; pin++)
            {
                if (_modes[pin] == PinMode.Output && _levels[pin])
                {
                    OutputLog.Add((pin, false, _time.GetUtcNow()));
                }
            }

            Array.Fill(_modes, null);
            Array.Fill(_levels, false);
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
            relaxed = [.. _doors.Where(d => d.CoilEnergised)];
        }

        foreach (var door in relaxed)
        {
            CoilChanged(door, false);
        }
    }

    /// <summary>Power is back: a fresh board with no line open (the program must start again).</summary>
    public void PowerRestore()
    {
        lock (_gate)
        {
            _powered = true;
        }
    }

    public override void OpenPin(int pin, PinMode mode, bool initialValue = false)
    {
        CheckPin(pin);
        lock (_gate)
        {
            EnsurePowered();
            _modes[pin] = mode;
            _levels[pin] = mode == PinMode.Output ? initialValue : PhysicalLevel(pin);
        }

        if (mode == PinMode.Output)
        {
            OutputChanged(pin, initialValue);
        }
    }

    public override void ClosePin(int pin)
    {
        CheckPin(pin);
        lock (_gate)
        {
            EnsurePowered();
            _modes[pin] = null;
        }
    }

    public override void Write(int pin, bool value)
    {
        CheckPin(pin);
        lock (_gate)
        {
            EnsurePowered();
            if (_modes[pin] != PinMode.Output)
            {
                throw new InvalidOperationException($"Pin {pin} is not an output.");
            }

            _levels[pin] = value;
        }

        OutputChanged(pin, value);
    }

    public override bool Read(int pin)
    {
        CheckPin(pin);
        lock (_gate)
        {
            EnsurePowered();
            if (_modes[pin] is null)
            {
                throw new InvalidOperationException($"Pin {pin} is not open.");
            }

            return _levels[pin];
        }
    }

    /// <summary>Drives an input pin from outside (a button, a test wire).</summary>
    public void SetInput(int pin, bool level) => InputChanged(pin, level);

    internal void MoveDoor(SimulatedDoor door, bool open)
    {
        bool latchChanged;
        lock (_gate)
        {
            door.IsOpen = open;
            latchChanged = !open && door.LatchReleased && !door.CoilEnergised;
            if (latchChanged)
            {
                door.LatchReleased = false;
            }
        }

        SensorChanged(door);
        if (latchChanged && door.LatchPin is { } latch)
        {
            InputChanged(latch, false);
        }
    }

    private void OutputChanged(int pin, bool level)
    {
        List<SimulatedDoor> doors;
        lock (_gate)
        {
            OutputLog.Add((pin, level, _time.GetUtcNow()));
            doors = [.. _doors.Where(d => d.RelayPin == pin)];
        }

        foreach (var door in doors)
        {
            CoilChanged(door, level);
        }
    }

    private void CoilChanged(SimulatedDoor door, bool energised)
    {
        bool released;
        lock (_gate)
        {
            if (door.CoilEnergised == energised)
            {
                return;
            }

            door.CoilEnergised = energised;
            released = energised && !door.Jammed && !door.LatchReleased;
            if (energised)
            {
                door.Pulses++;
            }

            if (released)
            {
                door.LatchReleased = true;
            }
        }

        if (!released)
        {
            return;
        }

        if (door.LatchPin is { } latch)
        {
            InputChanged(latch, true);
        }

        if (door.SpringDelay is { } delay)
        {
            After(delay, () =>
            {
                if (!door.IsOpen && door.LatchReleased)
                {
                    MoveDoor(door, open: true);
                }
            });
        }
    }

    private void SensorChanged(SimulatedDoor door)
    {
        var final = door.SensorLevel;
        if (door.SensorFault != SensorFault.None)
        {
            InputChanged(door.SensorPin, final);
            return;
        }

        // A bouncing reed switch: flips to the new level, back, and so on, 1 ms apart, ending at the new level.
        for (var i = 0; i <= 2 * door.Bounces; i++)
        {
            var level = i % 2 == 0 ? final : !final;
            if (i == 0)
            {
                InputChanged(door.SensorPin, level);
            }
            else
            {
                After(TimeSpan.FromMilliseconds(i), () => InputChanged(door.SensorPin, level));
            }
        }
    }

    private void InputChanged(int pin, bool level)
    {
        lock (_gate)
        {
            if (!_powered || _levels[pin] == level)
            {
                return;
            }

            _levels[pin] = level;
            if (_modes[pin] is null or PinMode.Output)
            {
                return;
            }
        }

        var nanoseconds = (long)(_time.GetTimestamp() * (1_000_000_000.0 / _time.TimestampFrequency));
        RaiseEdge(new PinEvent(pin, level ? PinEdge.Rising : PinEdge.Falling, nanoseconds));
    }

    private void After(TimeSpan delay, Action action)
    {
        lock (_gate)
        {
            ITimer? timer = null;
            timer = _time.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        _timers.Remove(timer!);
                    }

                    timer!.Dispose();
                    action();
                },
                null,
                Timeout.InfiniteTimeSpan,
                Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>What an input wired to a door reads (the stored level of an unopened line may be stale).</summary>
    private bool PhysicalLevel(int pin)
    {
        foreach (var door in _doors)
        {
            if (door.SensorPin == pin)
            {
                return door.SensorLevel;
            }

            if (door.LatchPin == pin)
            {
                return door.LatchReleased;
            }
        }

        return _levels[pin];
    }

    private void EnsurePowered()
    {
        if (!_powered)
        {
            throw new IOException("The simulated board has no power.");
        }
    }
}
