using System.Device.I2c;
using Logistics.Lockers.Hardware.Peripherals;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Lockers.Host.Configuration;
using Logistics.Lockers.Host.Controller;
using Logistics.Lockers.Host.Panel;

namespace Logistics.Lockers.Host.Board;

/// <summary>
/// The keypad, display, buzzer and scanner of the configuration around one <see cref="FrontPanel"/>. On a simulated
/// board the same bindings run over simulated parts: the keypad on the simulated board's lines, the display on a
/// <see cref="SimulatedLcd"/>; a scanner is simulated by calling <see cref="FrontPanel.Scan"/> (the page's scan box).
/// Simulated lines follow the doors' (<see cref="BoardHardware.FirstPeripheralLine"/>): the buzzer's, then the
/// keypad's rows and columns.
/// A part that fails to start is logged and left out: the doors matter more than the display.
/// </summary>
public sealed class BoardPeripherals : IDisposable
{
    private readonly List<IDisposable> _parts = [];

    private BoardPeripherals()
    {
    }

    public FrontPanel Panel { get; private set; } = null!;

    /// <summary>The simulated display, on a simulated board with a display configured: its RAM as text.</summary>
    public SimulatedLcd? SimulatedDisplay { get; private set; }

    /// <summary>The simulated keypad's keys, on a simulated board with a keypad configured.</summary>
    public SimulatedKeypad? SimulatedKeypad { get; private set; }

    public GpioBeeper? Beeper { get; private set; }

    public bool HasScanner { get; private set; }

    public static BoardPeripherals Start(LockerConfig config, BoardHardware hardware, LockerController controller, TimeProvider time, Action<string> log)
    {
        var parts = new BoardPeripherals();
        var board = hardware.Simulated;
        var next = BoardHardware.FirstPeripheralLine(config);
        (System.Device.Gpio.GpioController Controller, int Pin) Line(string spec)
        {
            if (board is not null)
            {
                return (hardware.Controllers["board"], next++);
            }

            var (chip, pin) = CompartmentConfig.ParseLine(spec);
            return (hardware.Controllers[chip], pin);
        }

        DisplayWriter? writer = null;
        if (config.Display is { } d)
        {
            Try("display", log, () =>
            {
                I2cDevice device = board is null ? I2cDevice.Create(new I2cConnectionSettings(d.Bus, d.Address)) : parts.SimulatedDisplay = new SimulatedLcd(d.Columns, d.Rows);
                var display = parts.Add(new CharacterDisplay(device, d.Columns, d.Rows));
                // The prompt is written here, before the board answers anyone: the display's first screen costs the
                // most (the binding's write path is compiled then), and nobody waits for it yet.
                display.Show(PanelText.For(config.Language).Idle);
                writer = parts.Add(new DisplayWriter(display, log));
            });
        }

        if (config.Buzzer is { } b)
        {
            Try("buzzer", log, () =>
            {
                var (controller, pin) = Line(b.Line);
                parts.Beeper = parts.Add(new GpioBeeper(controller, pin, b.ActiveHigh, time));
            });
        }

        parts.Panel = parts.Add(new FrontPanel(controller, PanelText.For(config.Language), time, writer is null ? null : writer.Post, parts.Beeper is { } beeper ? beeper.Play : null));
        if (config.Keypad is { } k)
        {
            Try("keypad", log, () =>
            {
                var rows = k.Rows.Select(Line).ToList();
                var columns = k.Columns.Select(Line).ToList();
                if (board is not null)
                {
                    parts.SimulatedKeypad = board.AddKeypad([.. rows.Select(r => r.Pin)], [.. columns.Select(c => c.Pin)], k.Layout);
                }

                var controllers = rows.Concat(columns).Select(l => l.Controller).Distinct().ToList();
                if (controllers.Count != 1)
                {
                    throw new InvalidDataException("a keypad's rows and columns must be on one chip");
                }

                var keypad = parts.Add(new MatrixKeypad(controllers[0], [.. rows.Select(r => r.Pin)], [.. columns.Select(c => c.Pin)], k.Layout, TimeSpan.FromMilliseconds(k.ScanMs)));
                keypad.KeyPressed += parts.Panel.Key;
                keypad.Start();
            });
        }

        if (config.Scanner is { } s && board is null)
        {
            Try("scanner", log, () =>
            {
                parts.Add(new BarcodeScanner(s.Port, s.BaudRate, text => parts.Panel.Scan(text)));
                parts.HasScanner = true;
            });
        }

        return parts;
    }

    public void Dispose()
    {
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            _parts[i].Dispose();
        }

        _parts.Clear();
    }

    private T Add<T>(T part)
        where T : IDisposable
    {
        _parts.Add(part);
        return part;
    }

    private static void Try(string part, Action<string> log, Action start)
    {
        try
        {
            start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException or ArgumentException or PlatformNotSupportedException)
        {
            log($"{part}: not started ({e.Message})");
        }
    }
}
