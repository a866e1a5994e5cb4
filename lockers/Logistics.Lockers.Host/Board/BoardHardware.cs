using Logistics.Lockers.Hardware.CharDevice;
using Logistics.Lockers.Hardware.Doors;
using Logistics.Lockers.Hardware.Gpio;
using Logistics.Lockers.Hardware.I2c;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Lockers.Host.Configuration;

namespace Logistics.Lockers.Host.Board;

/// <summary>The GPIO side of the board built from the configuration: real chips and expanders, or one simulated board.</summary>
public sealed class BoardHardware : IDisposable
{
    private readonly List<GpioController> _controllers;

    private BoardHardware(GpioDoorBank bank, List<GpioController> controllers, SimulatedBoard? simulated)
    {
        Bank = bank;
        _controllers = controllers;
        Simulated = simulated;
    }

    public GpioDoorBank Bank { get; }

    /// <summary>The simulated board, when running without hardware (for the keypad demo's door commands).</summary>
    public SimulatedBoard? Simulated { get; }

    public static BoardHardware Real(LockerConfig config)
    {
        var controllers = new Dictionary<string, GpioController>();
        try
        {
            foreach (var chip in config.Chips)
            {
                GpioDriver driver = chip.Kind switch
                {
                    "gpiochip" => new LinuxGpioDriver(chip.Path),
                    "mcp23017" => new Mcp23017(new LinuxI2cDevice(chip.Bus, chip.Address)),
                    _ => throw new InvalidDataException($"Chip {chip.Name} has an unknown kind '{chip.Kind}'."),
                };
                controllers[chip.Name] = new GpioController(driver);
            }

            LineRef Line(string spec)
            {
                var (chip, line) = CompartmentConfig.ParseLine(spec);
                return new LineRef(controllers[chip], line);
            }

            var bank = new GpioDoorBank(
                config.Compartments.Select(c => new DoorLines(c.Id, Line(c.Relay), Line(c.Sensor), c.Latch is { } l ? Line(l) : null, c.Rail)),
                new DoorPolarity { RelayActiveLow = config.Doors.RelayActiveLow, SensorHighWhenOpen = config.Doors.SensorHighWhenOpen });
            return new BoardHardware(bank, [.. controllers.Values], null);
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

    /// <summary>One simulated board; the i-th configured compartment gets lines 3i (relay), 3i+1 (sensor), 3i+2 (latch, if any).</summary>
    public static BoardHardware Simulate(LockerConfig config, TimeProvider time)
    {
        var board = new SimulatedBoard(time, 3 * config.Compartments.Count);
        var gpio = new GpioController(board);
        var lines = config.Compartments.Select((c, i) =>
        {
            board.AddDoor(3 * i, (3 * i) + 1, c.Latch is null ? null : (3 * i) + 2);
            return new DoorLines(c.Id, new LineRef(gpio, 3 * i), new LineRef(gpio, (3 * i) + 1), c.Latch is null ? null : new LineRef(gpio, (3 * i) + 2), c.Rail);
        }).ToList();
        return new BoardHardware(new GpioDoorBank(lines), [gpio], board);
    }

    public void Dispose()
    {
        Bank.Dispose();
        foreach (var controller in _controllers)
        {
            controller.Dispose();
        }
    }
}
