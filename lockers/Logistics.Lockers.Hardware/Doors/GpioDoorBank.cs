using System.Device.Gpio;
using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Hardware.Doors;

/// <summary>A line on one System.Device.Gpio controller: board pins (libgpiod) and MCP23017 pins mix freely in one bank.</summary>
public sealed record LineRef(GpioController Controller, int Pin);

/// <summary>One compartment's wiring: lock relay, door reed switch, optional latch feedback, and its supply rail.</summary>
public sealed record DoorLines(CompartmentId Compartment, LineRef Relay, LineRef Sensor, LineRef? Latch = null, int Rail = 0);

/// <summary>How the wiring reads: many relay boards are active-low; a reed switch to ground with a pull-up reads high when open.</summary>
public sealed record DoorPolarity
{
    public bool RelayActiveLow { get; init; }

    public bool SensorHighWhenOpen { get; init; } = true;

    public bool LatchHighWhenReleased { get; init; } = true;

    public PinMode InputMode { get; init; } = PinMode.InputPullUp;
}

/// <summary>
/// The thin adapter between the pure <see cref="DoorController"/> and GPIO lines (dotnet/iot's GpioButton idea):
/// opens every relay with its coil off before anything else (the mode and the initial value in one driver call),
/// forwards sensor edges, switches coils, and writes every coil off before it lets the lines go.
/// </summary>
public sealed class GpioDoorBank : ICoilOutput, IDisposable
{
    private readonly Dictionary<CompartmentId, DoorLines> _doors;
    private readonly DoorPolarity _polarity;
    private readonly List<(LineRef Line, PinChangeEventHandler Handler)> _handlers = [];

    public GpioDoorBank(IEnumerable<DoorLines> doors, DoorPolarity? polarity = null)
    {
        _polarity = polarity ?? new DoorPolarity();
        _doors = doors.ToDictionary(d => d.Compartment);
        foreach (var door in _doors.Values)
        {
            door.Relay.Controller.OpenPin(door.Relay.Pin, PinMode.Output, CoilOff);
        }

        foreach (var door in _doors.Values)
        {
            door.Sensor.Controller.OpenPin(door.Sensor.Pin, _polarity.InputMode);
            door.Latch?.Controller.OpenPin(door.Latch.Pin, _polarity.InputMode);
        }
    }

    public IReadOnlyList<DoorConfig> Configs =>
        [.. _doors.Values.Select(d => new DoorConfig(d.Compartment, d.Rail, d.Latch is not null))];

    private PinValue CoilOff => _polarity.RelayActiveLow ? PinValue.High : PinValue.Low;

    /// <summary>Sends every sensor and latch edge to the door controller (which debounces).</summary>
    public void Attach(DoorController controller)
    {
        foreach (var door in _doors.Values)
        {
            var compartment = door.Compartment;
            Listen(door.Sensor, rising => controller.OnDoorSensor(compartment, rising == _polarity.SensorHighWhenOpen));
            if (door.Latch is { } latch)
            {
                Listen(latch, rising => controller.OnLatchSensor(compartment, rising == _polarity.LatchHighWhenReleased));
            }
        }
    }

    public bool IsOpen(CompartmentId compartment)
    {
        var sensor = _doors[compartment].Sensor;
        return (sensor.Controller.Read(sensor.Pin) == PinValue.High) == _polarity.SensorHighWhenOpen;
    }

    public bool IsLatchReleased(CompartmentId compartment) =>
        _doors[compartment].Latch is { } latch && (latch.Controller.Read(latch.Pin) == PinValue.High) == _polarity.LatchHighWhenReleased;

    public void SetCoil(CompartmentId compartment, bool energised)
    {
        var relay = _doors[compartment].Relay;
        relay.Controller.Write(relay.Pin, energised != _polarity.RelayActiveLow ? PinValue.High : PinValue.Low);
    }

    /// <summary>Coils off, then the lines released (the library's ClosePin leaves a line as it is, so off is written first).</summary>
    public void Dispose()
    {
        foreach (var (line, handler) in _handlers)
        {
            line.Controller.UnregisterCallbackForPinValueChangedEvent(line.Pin, handler);
        }

        _handlers.Clear();
        foreach (var door in _doors.Values)
        {
            door.Relay.Controller.Write(door.Relay.Pin, CoilOff);
            door.Relay.Controller.ClosePin(door.Relay.Pin);
            door.Sensor.Controller.ClosePin(door.Sensor.Pin);
            door.Latch?.Controller.ClosePin(door.Latch.Pin);
        }
    }

    private void Listen(LineRef line, Action<bool> onEdge)
    {
        void Handler(object sender, PinValueChangedEventArgs e) => onEdge(e.ChangeType == PinEventTypes.Rising);
        line.Controller.RegisterCallbackForPinValueChangedEvent(line.Pin, PinEventTypes.Rising | PinEventTypes.Falling, Handler);
        _handlers.Add((line, Handler));
    }
}
