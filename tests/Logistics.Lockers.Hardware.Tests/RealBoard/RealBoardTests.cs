using System.Device.Gpio;
using System.Device.I2c;
using System.Globalization;
using Logistics.Lockers.Hardware.Expanders;
using Logistics.Lockers.Hardware.Gpio;

namespace Logistics.Lockers.Hardware.Tests.RealBoard;

/// <summary>On a real board, with the jumper wires that lockers/README.md describes; left out of the default run.</summary>
[Trait("Category", "Hardware")]
public sealed class RealBoardTests
{
    [Fact]
    public async Task LibgpiodOutputWiredToAnInputRaisesAnEdge()
    {
        var chip = Setting("LOCKER_TEST_GPIOCHIP", 0);
        var (output, input) = (Setting("LOCKER_TEST_OUT_LINE", 17), Setting("LOCKER_TEST_IN_LINE", 27));
        using var gpio = new GpioController(LibGpiod.Open(chip));
        gpio.OpenPin(output, PinMode.Output, PinValue.Low);
        gpio.OpenPin(input, PinMode.InputPullDown);
        Assert.Equal(PinValue.Low, gpio.Read(input));

        var rising = gpio.WaitForEventAsync(input, PinEventTypes.Rising, TimeSpan.FromSeconds(2));
        gpio.Write(output, PinValue.High);

        Assert.False((await rising).TimedOut);
        Assert.Equal(PinValue.High, gpio.Read(input));
    }

    [Fact]
    public void Mcp23017PortAWiredToPortBReadsBack()
    {
        var settings = new I2cConnectionSettings(Setting("LOCKER_TEST_I2C_BUS", 1), Setting("LOCKER_TEST_I2C_ADDRESS", 0x20));
        using var gpio = new GpioController(new LatchFirstMcp23017(I2cDevice.Create(settings)));
        gpio.OpenPin(0, PinMode.Output, PinValue.Low);
        gpio.OpenPin(8, PinMode.Input);
        Assert.Equal(PinValue.Low, gpio.Read(8));

        gpio.Write(0, PinValue.High);

        Assert.Equal(PinValue.High, gpio.Read(8));
    }

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
