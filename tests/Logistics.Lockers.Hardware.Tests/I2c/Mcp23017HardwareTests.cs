using System.Globalization;
using Logistics.Lockers.Hardware.Gpio;
using Logistics.Lockers.Hardware.I2c;

namespace Logistics.Lockers.Hardware.Tests.I2c;

/// <summary>
/// On a real board: an MCP23017 at LOCKER_TEST_I2C_ADDRESS (default 0x20) on /dev/i2c-LOCKER_TEST_I2C_BUS
/// (default 1), with a jumper wire from GPA0 to GPB0 (see lockers/README.md).
/// </summary>
[Trait("Category", "Hardware")]
public sealed class Mcp23017HardwareTests
{
    [Fact]
    public async Task GpaZeroLoopedBackToGpbZeroIsReadAndPolledAsAnEdge()
    {
        var bus = int.Parse(Environment.GetEnvironmentVariable("LOCKER_TEST_I2C_BUS") ?? "1", CultureInfo.InvariantCulture);
        var address = Convert.ToInt32(Environment.GetEnvironmentVariable("LOCKER_TEST_I2C_ADDRESS") ?? "0x20", 16);
        using var gpio = new GpioController(new Mcp23017(new LinuxI2cDevice(bus, address)));
        gpio.OpenPin(0, PinMode.Output, initialValue: false);
        gpio.OpenPin(8, PinMode.Input);
        Assert.False(gpio.Read(8));

        var rising = gpio.WaitForEdgeAsync(8, PinEdge.Rising, CancellationToken.None);
        gpio.Write(0, true);
        await rising.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.True(gpio.Read(8));
    }
}
