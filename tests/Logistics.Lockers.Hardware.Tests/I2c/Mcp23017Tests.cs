using Logistics.Lockers.Doors;
using Logistics.Lockers.Hardware.Doors;
using Logistics.Lockers.Hardware.Gpio;
using Logistics.Lockers.Hardware.I2c;
using Logistics.Testing;
using static Logistics.Lockers.Hardware.I2c.Mcp23017;

namespace Logistics.Lockers.Hardware.Tests.I2c;

public sealed class Mcp23017Tests
{
    private readonly FakeMcp23017 _bus = new();
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void StartUpLowersEveryLatchBeforeAnythingElse()
    {
        using var chip = new Mcp23017(_bus, _clock);

        Assert.Equal(
            [[(byte)Register.IOCON, 0], [(byte)Register.OLATA, 0, 0], [(byte)Register.IODIRA, 0xFF, 0xFF], [(byte)Register.GPPUA, 0, 0]],
            _bus.Writes);
    }

    [Fact]
    public void OutputGetsItsLatchWrittenBeforeItsDirection()
    {
        using var chip = new Mcp23017(_bus, _clock);
        _bus.Writes.Clear();

        chip.OpenPin(9, PinMode.Output, initialValue: false);

        Assert.Equal([[(byte)Register.OLATB, 0x00], [(byte)Register.IODIRB, 0xFD]], _bus.Writes);
    }

    [Fact]
    public void WritesGoToTheOutputLatchOfThePinsPort()
    {
        using var chip = new Mcp23017(_bus, _clock);
        chip.OpenPin(3, PinMode.Output);
        chip.OpenPin(8, PinMode.Output);

        chip.Write(3, true);
        chip.Write(8, true);
        chip.Write(3, false);

        Assert.Equal((0x00, 0x01), (_bus.Register(Register.OLATA), _bus.Register(Register.OLATB)));
        Assert.Equal((0xF7, 0xFE), (_bus.Register(Register.IODIRA), _bus.Register(Register.IODIRB)));
    }

    [Fact]
    public void InputsUseThePullUpsAndReadTheirPort()
    {
        using var chip = new Mcp23017(_bus, _clock);

        chip.OpenPin(12, PinMode.InputPullUp);
        _bus.PinLevels = 1 << 12;

        Assert.Equal(0x10, _bus.Register(Register.GPPUB));
        Assert.True(chip.Read(12));
        Assert.False(chip.Read(4));
        Assert.Throws<NotSupportedException>(() => chip.OpenPin(1, PinMode.InputPullDown));
    }

    [Fact]
    public void PollingRaisesAnEdgePerChangedInputWithTheClocksTimestamp()
    {
        using var chip = new Mcp23017(_bus, _clock, TimeSpan.FromMilliseconds(10));
        chip.OpenPin(0, PinMode.InputPullUp);
        chip.OpenPin(15, PinMode.InputPullUp);
        chip.OpenPin(7, PinMode.Output);
        var edges = new List<PinEvent>();
        chip.AddEdgeCallback(0, PinEdge.Both, edges.Add);
        chip.AddEdgeCallback(15, PinEdge.Both, edges.Add);
        chip.AddEdgeCallback(7, PinEdge.Both, edges.Add);

        _bus.PinLevels = (1 << 15) | (1 << 7);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        _bus.PinLevels = 1 << 0;
        _clock.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(
            [new PinEvent(15, PinEdge.Rising, 10_000_000), new PinEvent(0, PinEdge.Rising, 20_000_000), new PinEvent(15, PinEdge.Falling, 20_000_000)],
            edges);
    }

    [Fact]
    public void DoorBankOnExpanderPinsSwitchesCoilsThroughTheLatch()
    {
        using var gpio = new GpioController(new Mcp23017(_bus, _clock));
        using var bank = new GpioDoorBank(
            [new DoorLines(new CompartmentId(1), new LineRef(gpio, 0), new LineRef(gpio, 8)), new DoorLines(new CompartmentId(2), new LineRef(gpio, 1), new LineRef(gpio, 9))],
            new DoorPolarity { RelayActiveLow = true });

        Assert.Equal(0x03, _bus.Register(Register.OLATA));
        bank.SetCoil(new CompartmentId(2), true);
        Assert.Equal(0x01, _bus.Register(Register.OLATA));
        _bus.PinLevels = 1 << 9;
        Assert.True(bank.IsOpen(new CompartmentId(2)));
    }
}
