using System.Device.Gpio;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Hardware.Doors;
using Logistics.Lockers.Hardware.Simulated;
using Logistics.Testing;

namespace Logistics.Lockers.Hardware.Tests.Simulated;

public sealed class SimulatedBoardTests
{
    private static readonly CompartmentId One = new(1);
    private static readonly CompartmentId Two = new(2);

    [Fact]
    public void EveryRelayIsOffFromTheFirstWrite()
    {
        using var h = new BoardHarness(doors: 3);

        Assert.NotEmpty(h.Board.OutputLog);
        Assert.All(h.Board.OutputLog, w => Assert.False(w.Level));
    }

    [Fact]
    public void ActiveLowRelaysStartHighAndPulseLow()
    {
        var clock = new ManualTimeProvider();
        var board = new SimulatedBoard(clock);
        using var gpio = new GpioController(board);
        using var bank = new GpioDoorBank([new DoorLines(One, new LineRef(gpio, 5), new LineRef(gpio, 6))], new DoorPolarity { RelayActiveLow = true });

        Assert.Equal([(5, true)], board.OutputLog.Select(w => (w.Pin, w.Level)));
        bank.SetCoil(One, true);
        Assert.Equal(PinValue.Low, gpio.Read(5));
    }

    [Fact]
    public void PulseReleasesTheLatchAndTheSpringOpensTheDoor()
    {
        using var h = new BoardHarness();

        h.Controller.Unlock(One, 1);
        h.Advance(100);

        Assert.True(h.Door(1).IsOpen);
        Assert.True(Assert.Single(h.Of<DoorFact.DoorOpened>()).Authorised);
        Assert.False(h.Door(1).CoilEnergised);
        Assert.Equal(1, h.Door(1).Pulses);
    }

    [Fact]
    public void PersonOpensADoorWithoutSpringAfterThePulse()
    {
        using var h = new BoardHarness(wire: b => b.Doors[0].SpringDelay = null);
        Assert.False(h.Door(1).PersonOpens());

        h.Controller.Unlock(One, 1);
        h.Advance(1_000);
        Assert.True(h.Door(1).PersonOpens());
        h.Advance(50);

        Assert.True(Assert.Single(h.Of<DoorFact.DoorOpened>()).Authorised);
        h.Door(1).PersonCloses();
        h.Advance(50);
        Assert.Single(h.Of<DoorFact.DoorClosed>());
        Assert.False(h.Door(1).LatchReleased);
    }

    [Fact]
    public void JammedLockGetsTwoPulsesThenJammed()
    {
        using var h = new BoardHarness();
        h.Door(1).Jammed = true;

        h.Controller.Unlock(One, 1);
        h.Advance(10_000);

        Assert.Equal(2, h.Door(1).Pulses);
        Assert.False(h.Door(1).IsOpen);
        Assert.Single(h.Of<DoorFact.Jammed>());
    }

    [Fact]
    public void LatchFeedbackTellsAStuckSensorFromAJammedLock()
    {
        using var h = new BoardHarness(latchFeedback: true);
        h.Door(1).SensorFault = SensorFault.StuckClosed;

        h.Controller.Unlock(One, 1);
        h.Advance(10_000);

        Assert.True(h.Door(1).IsOpen);
        Assert.Single(h.Of<DoorFact.LatchReleased>());
        Assert.Single(h.Of<DoorFact.Jammed>());
        Assert.Empty(h.Of<DoorFact.DoorOpened>());
    }

    [Fact]
    public void BouncingReedSwitchGivesOneOpeningAndOneClosing()
    {
        using var h = new BoardHarness();
        h.Door(1).Bounces = 4;

        h.Controller.Unlock(One, 1);
        h.Advance(500);
        h.Door(1).PersonCloses();
        h.Advance(500);

        Assert.Single(h.Of<DoorFact.DoorOpened>());
        Assert.Single(h.Of<DoorFact.DoorClosed>());
    }

    [Fact]
    public void CrowbarIsForcedOpen()
    {
        using var h = new BoardHarness();

        h.Door(2).ForceOpen();
        h.Advance(50);

        Assert.Equal(Two, Assert.Single(h.Of<DoorFact.ForcedOpen>()).Compartment);
    }

    [Fact]
    public void TwoRelaysOnOneRailAreNeverHighTogether()
    {
        using var h = new BoardHarness(doors: 3);
        foreach (var door in h.Board.Doors)
        {
            door.Jammed = true;
        }

        h.Controller.Unlock(One, 1);
        h.Controller.Unlock(Two, 2);
        h.Controller.Unlock(new CompartmentId(3), 3);
        h.Advance(20_000);

        var high = new HashSet<int>();
        foreach (var (pin, level, _) in h.Board.OutputLog)
        {
            if (level)
            {
                high.Add(pin);
            }
            else
            {
                high.Remove(pin);
            }

            Assert.True(high.Count <= 1, $"relays {string.Join(",", high)} on together");
        }

        Assert.Equal(6, h.Board.Doors.Sum(d => d.Pulses));
    }

    [Fact]
    public void PowerCutDropsTheCoilMidPulseAndTheRestartedBoardStartsWithEverythingOff()
    {
        using var h = new BoardHarness();
        h.Door(1).Jammed = true;
        h.Controller.Unlock(One, 1);
        Assert.True(h.Door(1).CoilEnergised);

        h.CutPower();

        Assert.False(h.Door(1).CoilEnergised);
        Assert.False(h.Board.OutputLog[^1].Level);
        Assert.Throws<IOException>(() => h.Gpio.Read(3));
        h.Board.PowerRestore();
        var logged = h.Board.OutputLog.Count;
        using var gpio = new GpioController(h.Board);
        using var bank = new GpioDoorBank([new DoorLines(One, new LineRef(gpio, 2), new LineRef(gpio, 3))]);
        Assert.All(h.Board.OutputLog.Skip(logged), w => Assert.False(w.Level));
        Assert.False(h.Door(1).CoilEnergised);
    }

    [Fact]
    public void OpenDoorIsStillSeenOpenAfterAPowerCut()
    {
        using var h = new BoardHarness();
        h.Door(1).ForceOpen();
        h.CutPower();
        h.Board.PowerRestore();

        using var gpio = new GpioController(h.Board);
        using var bank = new GpioDoorBank([new DoorLines(One, new LineRef(gpio, 2), new LineRef(gpio, 3))]);

        Assert.True(bank.IsOpen(One));
    }

    [Fact]
    public async Task LibraryWaitsForAnEdgeOnASimulatedInput()
    {
        var board = new SimulatedBoard(new ManualTimeProvider());
        using var gpio = new GpioController(board);
        gpio.OpenPin(7, PinMode.InputPullDown);

        var edge = gpio.WaitForEventAsync(7, PinEventTypes.Rising, TimeSpan.FromSeconds(10));
        while (!edge.IsCompleted)
        {
            board.SetInput(7, false);
            board.SetInput(7, true);
            await Task.Yield();
        }

        Assert.Equal(new WaitForEventResult { EventTypes = PinEventTypes.Rising, TimedOut = false }, await edge);
    }

    [Fact]
    public void CallbacksThroughTheControllerSeeRisingAndFallingEdges()
    {
        var board = new SimulatedBoard(new ManualTimeProvider());
        using var gpio = new GpioController(board);
        gpio.OpenPin(7, PinMode.InputPullDown);
        var edges = new List<(int, PinEventTypes)>();
        gpio.RegisterCallbackForPinValueChangedEvent(7, PinEventTypes.Rising | PinEventTypes.Falling, (_, e) => edges.Add((e.PinNumber, e.ChangeType)));

        board.SetInput(7, true);
        board.SetInput(7, true);
        board.SetInput(7, false);

        Assert.Equal([(7, PinEventTypes.Rising), (7, PinEventTypes.Falling)], edges);
        Assert.Equal(PinValue.Low, gpio.Read(7));
    }

    [Fact]
    public void LinesMustBeOpenAndOutputsOnlyAreDriven()
    {
        var board = new SimulatedBoard(new ManualTimeProvider());
        using var gpio = new GpioController(board);
        gpio.OpenPin(1, PinMode.Input);

        gpio.Write(1, PinValue.High);
        Assert.Empty(board.OutputLog);
        Assert.Throws<InvalidOperationException>(() => gpio.Write(2, PinValue.High));
        Assert.Throws<InvalidOperationException>(() => gpio.Read(2));
    }

    [Fact]
    public void DisposingTheControllerReleasesTheLinesAndLeavesTheDoors()
    {
        var clock = new ManualTimeProvider();
        var board = new SimulatedBoard(clock);
        board.AddDoor(2, 3).ForceOpen();
        using (var gpio = new GpioController(board))
        {
            using var bank = new GpioDoorBank([new DoorLines(One, new LineRef(gpio, 2), new LineRef(gpio, 3))]);
            Assert.True(bank.IsOpen(One));
        }

        using var again = new GpioController(board);
        using var restarted = new GpioDoorBank([new DoorLines(One, new LineRef(again, 2), new LineRef(again, 3))]);
        Assert.True(restarted.IsOpen(One));
        Assert.All(board.OutputLog, w => Assert.False(w.Level));
    }
}
