using System.Device.Gpio;
using System.IO.Pipes;
using System.Text;
using Logistics.Lockers.Hardware.Peripherals;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Testing;

namespace Logistics.Lockers.Hardware.Tests.Peripherals;

public sealed class PeripheralTests
{
    [Fact]
    public void DisplayShowsItsLinesThroughTheBackpackWithoutAccents()
    {
        var lcd = new SimulatedLcd();
        using var display = new CharacterDisplay(lcd);

        display.Show(["Porte 3 ouverte", "Code erroné, réessayez"]);

        Assert.Equal(["Porte 3 ouverte ", "Code errone, ree"], lcd.Lines);
        Assert.True(lcd.BacklightOn);
        display.Show(["Enter your code"]);
        Assert.Equal(["Enter your code ", new string(' ', 16)], lcd.Lines);
    }

    [Fact]
    public void TwentyByFourDisplayUsesItsFourRows()
    {
        var lcd = new SimulatedLcd(20, 4);
        using var display = new CharacterDisplay(lcd, 20, 4);

        display.Show(["one", "two", "three", "four"]);

        Assert.Equal(["one", "two", "three", "four"], lcd.Lines.Select(l => l.TrimEnd()));
    }

    [Fact]
    public async Task KeypadReportsEachKeyPressedOnTheMatrix()
    {
        var board = new SimulatedBoard(TimeProvider.System, 16);
        var keys = board.AddKeypad([0, 1, 2, 3], [4, 5, 6, 7], "123A456B789C*0#D");
        using var gpio = new GpioController(board);
        using var keypad = new MatrixKeypad(gpio, [0, 1, 2, 3], [4, 5, 6, 7], "123A456B789C*0#D", TimeSpan.FromMilliseconds(2));
        var pressed = new System.Threading.Channels.UnboundedChannelOptions();
        var channel = System.Threading.Channels.Channel.CreateUnbounded<char>(pressed);
        keypad.KeyPressed += key => channel.Writer.TryWrite(key);
        keypad.Start();

        var seen = new StringBuilder();
        foreach (var key in "70#D*")
        {
            keys.Hold(key);
            seen.Append(await channel.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            keys.Release(key);
        }

        Assert.Equal("70#D*", seen.ToString());
    }

    /// <summary>
    /// Regression: KeyMatrix stops its scanning thread by a flag, and a scan that ran late wrote a closed (or nulled)
    /// controller on the binding's thread, which ended the test host. Disposing while it scans must be harmless, and
    /// the shared chip must get its lines back.
    /// </summary>
    [Fact]
    public void DisposingTheKeypadWhileItScansIsHarmlessAndReleasesItsLines()
    {
        var board = new SimulatedBoard(TimeProvider.System, 16);
        board.AddKeypad([0, 1], [2, 3], "1234").Hold('4');
        using var gpio = new GpioController(board);
        for (var i = 0; i < 200; i++)
        {
            using var keypad = new MatrixKeypad(gpio, [0, 1], [2, 3], "1234", TimeSpan.FromMilliseconds(1));
            keypad.Start();
            Thread.Yield();
        }

        Assert.All(Enumerable.Range(0, 4), pin => Assert.False(gpio.IsPinOpen(pin)));
    }

    [Fact]
    public void RefusedIsThreeBeepsOnTheClock()
    {
        var clock = new ManualTimeProvider();
        var board = new SimulatedBoard(clock, 8);
        using var gpio = new GpioController(board);
        using var beeper = new GpioBeeper(gpio, 5, activeHigh: true, clock);

        beeper.Play(Feedback.Refused);
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(110));
        }

        var writes = board.OutputLog.Where(w => w.Pin == 5).Select(w => (w.Level, (w.At - board.OutputLog[0].At).TotalMilliseconds)).ToList();
        Assert.Equal([(false, 0), (true, 0), (false, 120), (true, 220), (false, 340), (true, 440), (false, 560)], writes);
        Assert.Equal(Feedback.Refused, beeper.Last);
    }

    [Fact]
    public async Task ScannerReportsEachLineAsItArrives()
    {
        using var scannerEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        using var boardEnd = new AnonymousPipeClientStream(PipeDirection.In, scannerEnd.ClientSafePipeHandle);
        var scanned = System.Threading.Channels.Channel.CreateUnbounded<string>();
        using var scanner = new BarcodeScanner(boardEnd, text => scanned.Writer.TryWrite(text));

        scannerEnd.Write("1234 5678\r\n"u8);
        Assert.Equal("1234 5678", await scanned.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        scannerEnd.Write("\r\nPARCEL-0042\n  \nlast"u8);
        Assert.Equal("PARCEL-0042", await scanned.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        scannerEnd.Dispose();

        Assert.Equal("last", await scanned.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await scanner.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
