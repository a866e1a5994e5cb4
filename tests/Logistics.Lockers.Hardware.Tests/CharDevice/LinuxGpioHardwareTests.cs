using System.Globalization;
using Logistics.Lockers.Hardware.CharDevice;
using Logistics.Lockers.Hardware.Gpio;

namespace Logistics.Lockers.Hardware.Tests.CharDevice;

/// <summary>
/// On a real board: a jumper wire from line LOCKER_TEST_OUT_LINE to line LOCKER_TEST_IN_LINE of
/// LOCKER_TEST_GPIOCHIP (defaults /dev/gpiochip0, 17, 27 — see lockers/README.md).
/// </summary>
[Trait("Category", "Hardware")]
public sealed class LinuxGpioHardwareTests
{
    [Fact]
    public async Task OutputLoopedBackToAnInputIsReadAndRaisesATimestampedEdge()
    {
        var chip = Environment.GetEnvironmentVariable("LOCKER_TEST_GPIOCHIP") ?? "/dev/gpiochip0";
        var output = Line("LOCKER_TEST_OUT_LINE", 17);
        var input = Line("LOCKER_TEST_IN_LINE", 27);
        using var gpio = new GpioController(new LinuxGpioDriver(chip));
        gpio.OpenPin(output, PinMode.Output, initialValue: false);
        gpio.OpenPin(input, PinMode.InputPullDown);
        Assert.False(gpio.Read(input));

        var rising = gpio.WaitForEdgeAsync(input, PinEdge.Rising, CancellationToken.None);
        gpio.Write(output, true);
        var edge = await rising.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.True(gpio.Read(input));
        Assert.Equal((input, PinEdge.Rising), (edge.Pin, edge.Edge));
        Assert.True(edge.TimestampNs > 0);
    }

    private static int Line(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
