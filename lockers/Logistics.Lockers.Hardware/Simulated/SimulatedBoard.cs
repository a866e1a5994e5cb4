using System.Device.Gpio;

namespace Logistics.Lockers.Hardware.Simulated;

/// <summary>
/// A board with doors instead of wires, for tests and the demo, as a System.Device.Gpio <see cref="GpioDriver"/> (the
/// library's extension point): a <see cref="GpioController"/> over it runs the same door bank as over libgpiod.
/// Relays pulse latches, a person opens and closes doors, a keypad's keys join its row and column lines, and faults
/// can be injected (jammed locks, stuck or bouncing sensors, power cuts). Time comes from the given
/// <see cref="TimeProvider"/>, so with a manual clock nothing ever sleeps. Disposing it releases every line, as
/// the kernel does when the program exits; the doors stay as they are.
/// </summary>
public sealed partial class SimulatedBoard : GpioDriver
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly PinMode?[] _modes;
    private readonly bool[] _levels;
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Callback)>> _callbacks = [];
    private readonly List<SimulatedDoor> _doors = [];
    private readonly List<ITimer> _timers = [];
    private bool _powered = true;

    public SimulatedBoard(TimeProvider time, int pinCount = 64)
    {
        _time = time;
        _modes = new PinMode?[pinCount];
        _levels = new bool[pinCount];
    }

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

    protected override int PinCount => _modes.Length;

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

    /// <summary>The supply drops: every output goes low, every line and callback is forgotten, every call fails until restored.</summary>
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
            _callbacks.Clear();
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

    /// <summary>Drives an input pin from outside (a button, a test wire).</summary>
    public void SetInput(int pin, bool level) => InputChanged(pin, level);

    protected override void OpenPin(int pinNumber)
    {
        CheckPin(pinNumber);
        lock (_gate)
        {
            EnsurePowered();
            // Opened as it is: an input until the program sets a mode, so nothing is driven yet.
            _modes[pinNumber] = PinMode.Input;
            _levels[pinNumber] = PhysicalLevel(pinNumber);
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        CheckPin(pinNumber);
        lock (_gate)
        {
            EnsurePowered();
            _modes[pinNumber] = null;
            _callbacks.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode) =>
        SetPinMode(pinNumber, mode, PinValue.Low);

    /// <summary>An output starts at <paramref name="initialValue"/> in the same step that makes it an output: no glitch.</summary>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        CheckPin(pinNumber);
        var output = mode == PinMode.Output;
        var level = initialValue == PinValue.High;
        lock (_gate)
        {
            EnsureOpen(pinNumber);
            _modes[pinNumber] = mode;
            _levels[pinNumber] = output ? level : PhysicalLevel(pinNumber);
        }

        if (output)
        {
            OutputChanged(pinNumber, level);
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        CheckPin(pinNumber);
        lock (_gate)
        {
            EnsureOpen(pinNumber);
            return _modes[pinNumber]!.Value;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override void Write(int pinNumber, PinValue value)
    {
        CheckPin(pinNumber);
        var level = value == PinValue.High;
        lock (_gate)
        {
            EnsureOpen(pinNumber);
            if (_modes[pinNumber] != PinMode.Output)
            {
                throw new InvalidOperationException($"Pin {pinNumber} is not an output.");
            }

            _levels[pinNumber] = level;
        }

        OutputChanged(pinNumber, level);
    }

    protected override PinValue Read(int pinNumber)
    {
        CheckPin(pinNumber);
        lock (_gate)
        {
            EnsureOpen(pinNumber);
            return _modes[pinNumber] == PinMode.Output || !IsKeypadColumn(pinNumber) ? _levels[pinNumber] : KeypadColumnLevel(pinNumber);
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        using var edge = new ManualResetEventSlim();
        var seen = PinEventTypes.None;
        void OnEdge(object sender, PinValueChangedEventArgs e)
        {
            seen = e.ChangeType;
            edge.Set();
        }

        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, OnEdge);
        try
        {
            edge.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = seen, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, OnEdge);
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        CheckPin(pinNumber);
        lock (_gate)
        {
            EnsureOpen(pinNumber);
            if (!_callbacks.TryGetValue(pinNumber, out var list))
            {
                _callbacks[pinNumber] = list = [];
            }

            list.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            if (_callbacks.TryGetValue(pinNumber, out var list))
            {
                list.RemoveAll(c => c.Callback == callback);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            if (_powered)
            {
                Array.Fill(_modes, null);
            }

            _callbacks.Clear();
        }

        base.Dispose(disposing);
    }

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
        (PinEventTypes Types, PinChangeEventHandler Callback)[] targets;
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

            targets = _callbacks.TryGetValue(pin, out var list) ? [.. list] : [];
        }

        var change = level ? PinEventTypes.Rising : PinEventTypes.Falling;
        foreach (var (types, callback) in targets)
        {
            if ((types & change) != 0)
            {
                callback(this, new PinValueChangedEventArgs(change, pin));
            }
        }
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

    private void EnsureOpen(int pin)
    {
        EnsurePowered();
        if (_modes[pin] is null)
        {
            throw new InvalidOperationException($"Pin {pin} is not open.");
        }
    }

    private void CheckPin(int pin) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)pin, (uint)_modes.Length, nameof(pin));
}
