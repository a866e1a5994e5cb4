using System.Device.Gpio;
using Iot.Device.Mcp23xxx;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Hardware.Doors;
using Logistics.Lockers.Hardware.Expanders;
using Logistics.Lockers.Hardware.Gpio;
using Logistics.Testing;

namespace Logistics.Lockers.Hardware.Tests.Expanders;

/// <summary>Door banks on dotnet/iot's MCP23017 binding, the I²C bus faked at the chip's registers.</summary>
public sealed class Mcp23017Tests
{
    private static readonly CompartmentId One = new(1);
    private static readonly CompartmentId Two = new(2);
    private readonly FakeMcp23017Bus _bus = new();
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void ActiveLowRelaysComeUpOffWithoutAGlitch()
    {
        using var gpio = new GpioController(new LatchFirstMcp23017(_bus));
        using var bank = Bank(gpio, activeLow: true);

        Assert.Equal([(0, true), (1, true)], _bus.DriveLog);
    }

    /// <summary>Why <see cref="LatchFirstMcp23017"/> exists: the binding alone drives the line low before it writes high.</summary>
    [Fact]
    public void TheBindingAloneWouldPulseAnActiveLowRelayAtStart()
    {
        using var gpio = new GpioController(new Mcp23017(_bus));
        using var bank = Bank(gpio, activeLow: true);

        Assert.Contains((0, false), _bus.DriveLog);
        Assert.True(_bus.Driven(0));
    }

    [Fact]
    public void CoilsSwitchThroughTheLatchAndAreOffWhenTheBankIsDisposed()
    {
        using var gpio = new GpioController(new LatchFirstMcp23017(_bus));
        using (var bank = Bank(gpio, activeLow: true))
        {
            bank.SetCoil(Two, true);
            Assert.Equal((true, false), (_bus.Driven(0), _bus.Driven(1)));
            _bus.OutsideLevels = 1 << 9;
            Assert.True(bank.IsOpen(Two));
            Assert.False(bank.IsOpen(One));
        }

        Assert.Equal((true, true), (_bus.Driven(0), _bus.Driven(1)));
    }

    [Fact]
    public void PolledSensorsReachTheDoorControllerOnTheClock()
    {
        using var gpio = new PollingGpioController(new LatchFirstMcp23017(_bus), _clock, TimeSpan.FromMilliseconds(10));
        using var bank = Bank(gpio, activeLow: false);
        var facts = new List<DoorFact>();
        using var doors = new DoorController(bank.Configs, bank, new DoorOptions { Debounce = TimeSpan.FromMilliseconds(30) }, _clock, facts.Add);
        bank.Attach(doors);
        doors.Start(bank.IsOpen, bank.IsLatchReleased);

        doors.Unlock(One, 1);
        Assert.Equal(true, _bus.Driven(0));
        _bus.OutsideLevels = 1 << 8;
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Empty(facts.OfType<DoorFact.DoorOpened>());
        _clock.Advance(TimeSpan.FromMilliseconds(40));

        Assert.True(Assert.Single(facts.OfType<DoorFact.DoorOpened>()).Authorised);
        Assert.Equal(false, _bus.Driven(0));
    }

    private static GpioDoorBank Bank(GpioController gpio, bool activeLow) => new(
        [new DoorLines(One, new LineRef(gpio, 0), new LineRef(gpio, 8)), new DoorLines(Two, new LineRef(gpio, 1), new LineRef(gpio, 9))],
        new DoorPolarity { RelayActiveLow = activeLow });
}
