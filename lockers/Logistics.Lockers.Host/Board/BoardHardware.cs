using System.Device.Gpio;
using System.Device.I2c;
using Logistics.Lockers.Hardware.Doors;
using Logistics.Lockers.Hardware.Expanders;
using Logistics.Lockers.Hardware.Gpio;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Lockers.Host.Configuration;

namespace Logistics.Lockers.Host.Board;

/// <summary>The GPIO side of the board built from the configuration: real chips and expanders, or one simulated board.</summary>
public sealed class BoardHardware : IDisposable
{
    private readonly List<GpioController> _controllers;

    private BoardHardware(GpioDoorBank bank, IReadOnlyDictionary<string, GpioController> controllers, SimulatedBoard? simulated)
    {
        Bank = bank;
        Controllers = controllers;
        _controllers = [.. controllers.Values];
        Simulated = simulated;
    }

    public GpioDoorBank Bank { get; }

    /// <summary>The configured chips by name (<c>board</c>, <c>x1</c>…), for the peripherals wired to them; on a simulated board, one: <c>board</c>.</summary>
    public IReadOnlyDictionary<string, GpioController> Controllers { get; }

    /// <summary>The simulated board, when running without hardware (for the keypad demo's door commands).</summary>
    public SimulatedBoard? Simulated { get; }

    public static BoardHardware Real(LockerConfig config, TimeProvider time)
    {
        var controllers = new Dictionary<string, GpioController>();
        try
        {
            foreach (var chip in config.Chips)
            {
                controllers[chip.Name] = chip.Kind switch
                {
                    "gpiochip" => new GpioController(LibGpiod.Open(chip.ChipNumber)),
                    "mcp23017" => new PollingGpioController(
                        new LatchFirstMcp23017(I2cDevice.Create(new I2cConnectionSettings(chip.Bus, chip.Address))),
                        time,
                        TimeSpan.FromMilliseconds(chip.PollMs)),
                    _ => throw new InvalidDataException($"Chip {chip.Name} has an unknown kind '{chip.Kind}'."),
                };
            }

            return new BoardHardware(DoorBank(config, controllers), controllers, null);
        }
        catch
        {
            foreach (var controller in controllers.Values)
            {
                controller.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// One simulated board: the i-th configured compartment gets lines 3i (relay), 3i+1 (sensor), 3i+2 (latch, if
    /// any); the peripherals' lines follow them (<see cref="FirstPeripheralLine"/>).
    /// </summary>
    public static BoardHardware Simulate(LockerConfig config, TimeProvider time)
    {
        var board = new SimulatedBoard(time, FirstPeripheralLine(config) + 16);
        var gpio = new GpioController(board);
        var lines = config.Compartments.Select((c, i) =>
        {
            board.AddDoor(3 * i, (3 * i) + 1, c.Latch is null ? null : (3 * i) + 2);
            return new DoorLines(c.Id, new LineRef(gpio, 3 * i), new LineRef(gpio, (3 * i) + 1), c.Latch is null ? null : new LineRef(gpio, (3 * i) + 2), c.Rail);
        }).ToList();
        return new BoardHardware(new GpioDoorBank(lines), new Dictionary<string, GpioController> { ["board"] = gpio }, board);
    }

    /// <summary>The first simulated line after the doors' lines.</summary>
    public static int FirstPeripheralLine(LockerConfig config) => 3 * config.Compartments.Count;

    public void Dispose()
    {
        Bank.Dispose();
        foreach (var controller in _controllers)
        {
            controller.Dispose();
        }
    }

    private static GpioDoorBank DoorBank(LockerConfig config, IReadOnlyDictionary<string, GpioController> controllers)
    {
        LineRef Line(string spec)
        {
            var (chip, line) = CompartmentConfig.ParseLine(spec);
            return new LineRef(controllers[chip], line);
        }

        return new GpioDoorBank(
            config.Compartments.Select(c => new DoorLines(c.Id, Line(c.Relay), Line(c.Sensor), c.Latch is { } l ? Line(l) : null, c.Rail)),
            new DoorPolarity { RelayActiveLow = config.Doors.RelayActiveLow, SensorHighWhenOpen = config.Doors.SensorHighWhenOpen });
    }
}
