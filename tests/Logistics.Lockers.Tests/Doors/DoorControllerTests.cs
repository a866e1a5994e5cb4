using Logistics.Lockers.Doors;
using static Logistics.Lockers.Tests.Doors.DoorHarness;

namespace Logistics.Lockers.Tests.Doors;

public sealed class DoorControllerTests
{
    [Fact]
    public void UnlockEnergisesTheCoilForExactlyThePulseLength()
    {
        using var h = new DoorHarness();

        Assert.Equal(UnlockResult.Started, h.Controller.Unlock(C(1), unlockId: 7));
        Assert.Contains(C(1), h.Coils.Energised);
        h.Advance(299);
        Assert.Contains(C(1), h.Coils.Energised);
        h.Advance(1);

        Assert.Empty(h.Coils.Energised);
        var pulse = Assert.Single(h.Of<DoorFact.PulseSent>());
        Assert.Equal((1, TimeSpan.FromMilliseconds(300), 7L), (pulse.Attempt, pulse.OnTime, pulse.Unlock!.Value));
    }

    [Fact]
    public void ADoorSettlingAfterTheControllerIsDisposedReportsNothing()
    {
        // The board program stops (its journal closes next) while a door's sensor is still debouncing.
        var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);
        h.Advance(300);
        h.Door(1, open: true);
        h.Controller.OnDoorSensor(C(1), false);
        var facts = h.Facts.Count;

        h.Dispose();
        h.Advance(120_000);

        Assert.Equal(facts, h.Facts.Count);
        Assert.Empty(h.Coils.Energised);
    }

    [Fact]
    public void DoorOpeningAfterThePulseIsAnAuthorisedOpening()
    {
        using var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);
        h.Advance(300);

        h.Door(1, open: true);

        var opened = Assert.Single(h.Of<DoorFact.DoorOpened>());
        Assert.True(opened.Authorised);
        Assert.Equal(7, opened.Unlock);
        Assert.Empty(h.Of<DoorFact.ForcedOpen>());
        Assert.Equal(DoorPhase.Open, h.Controller.Status(C(1)).Phase);
    }

    [Fact]
    public void DoorOpeningDuringThePulseCutsTheCoilAtOnce()
    {
        using var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);
        h.Advance(100);

        h.Door(1, open: true);

        Assert.Empty(h.Coils.Energised);
        Assert.Equal(TimeSpan.FromMilliseconds(150), Assert.Single(h.Of<DoorFact.PulseSent>()).OnTime);
        Assert.True(Assert.Single(h.Of<DoorFact.DoorOpened>()).Authorised);
        h.Advance(10_000);
        Assert.Single(h.Of<DoorFact.PulseSent>());
    }

    [Fact]
    public void DoorThatStaysShutGetsOneRepulseThenJammed()
    {
        using var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);

        h.Advance(300 + 4_000);
        Assert.Contains(C(1), h.Coils.Energised);
        Assert.Equal(DoorPhase.Pulsing, h.Controller.Status(C(1)).Phase);
        h.Advance(300 + 3_999);
        Assert.Empty(h.Of<DoorFact.Jammed>());
        h.Advance(1);

        Assert.Equal([1, 2], h.Of<DoorFact.PulseSent>().Select(p => p.Attempt));
        var jammed = Assert.Single(h.Of<DoorFact.Jammed>());
        Assert.Equal((2, 7L), (jammed.Attempts, jammed.Unlock!.Value));
        Assert.Equal(2, h.Coils.PulsesOf(C(1)));
        h.Advance(60_000);
        Assert.Equal(2, h.Coils.PulsesOf(C(1)));
        Assert.Equal(DoorPhase.Closed, h.Controller.Status(C(1)).Phase);
    }

    [Fact]
    public void DoorOpeningAfterTheRepulseIsStillAuthorised()
    {
        using var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);
        h.Advance(300 + 4_000 + 300 + 1_000);

        h.Door(1, open: true);

        Assert.True(Assert.Single(h.Of<DoorFact.DoorOpened>()).Authorised);
        h.Advance(10_000);
        Assert.Empty(h.Of<DoorFact.Jammed>());
    }

    [Fact]
    public void DoorLeftOpenRaisesOneAlarmAfterTheConfiguredTime()
    {
        using var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);
        h.Advance(300);
        h.Door(1, open: true);

        h.Advance(59_999);
        Assert.Empty(h.Of<DoorFact.DoorLeftOpen>());
        h.Advance(1);
        Assert.Equal(TimeSpan.FromSeconds(60), Assert.Single(h.Of<DoorFact.DoorLeftOpen>()).OpenFor);
        h.Advance(600_000);
        Assert.Single(h.Of<DoorFact.DoorLeftOpen>());

        h.Door(1, open: false);
        Assert.Single(h.Of<DoorFact.DoorClosed>());
        Assert.Equal(DoorPhase.Closed, h.Controller.Status(C(1)).Phase);
    }

    [Fact]
    public void DoorClosedInTimeRaisesNoLeftOpenAlarm()
    {
        using var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);
        h.Advance(300);
        h.Door(1, open: true);
        h.Advance(10_000);
        h.Door(1, open: false);

        h.Advance(600_000);

        Assert.Empty(h.Of<DoorFact.DoorLeftOpen>());
    }

    [Fact]
    public void DoorOpenedWithNoPulseIsForcedOpen()
    {
        using var h = new DoorHarness();

        h.Door(2, open: true);

        Assert.False(Assert.Single(h.Of<DoorFact.DoorOpened>()).Authorised);
        Assert.Equal(C(2), Assert.Single(h.Of<DoorFact.ForcedOpen>()).Compartment);
    }

    [Fact]
    public void DoorOpenedAfterJammedIsForcedOpen()
    {
        using var h = new DoorHarness();
        h.Controller.Unlock(C(1), 7);
        h.Advance(2 * (300 + 4_000));

        h.Door(1, open: true);

        Assert.Single(h.Of<DoorFact.Jammed>());
        Assert.Single(h.Of<DoorFact.ForcedOpen>());
    }

    [Fact]
    public void BouncingSensorCountsAsOneOpening()
    {
        using var h = new DoorHarness();
        foreach (var value in new[] { true, false, true, false, true })
        {
            h.Controller.OnDoorSensor(C(1), value);
            h.Advance(5);
        }

        Assert.Empty(h.Facts);
        h.Advance(50);

        Assert.Single(h.Of<DoorFact.DoorOpened>());
        Assert.Empty(h.Of<DoorFact.DoorClosed>());
    }

    [Fact]
    public void GlitchShorterThanTheDebounceIsIgnored()
    {
        using var h = new DoorHarness();

        h.Controller.OnDoorSensor(C(1), true);
        h.Advance(49);
        h.Controller.OnDoorSensor(C(1), false);
        h.Advance(1_000);

        Assert.Empty(h.Facts);
    }

    [Fact]
    public void PulsesOnOneRailAreQueuedNeverOverlapping()
    {
        using var h = new DoorHarness([new DoorConfig(C(1), Rail: 0), new DoorConfig(C(2), Rail: 0), new DoorConfig(C(3), Rail: 1)]);

        h.Controller.Unlock(C(1), 1);
        h.Controller.Unlock(C(2), 2);
        h.Controller.Unlock(C(3), 3);

        Assert.Equal([C(1), C(3)], h.Coils.Energised.OrderBy(c => c.Value));
        Assert.Equal(DoorPhase.WaitingForRail, h.Controller.Status(C(2)).Phase);
        h.Advance(300);
        Assert.Equal([C(2)], h.Coils.Energised);
        h.Advance(300);
        Assert.Empty(h.Coils.Energised);
        Assert.Equal(3, h.Of<DoorFact.PulseSent>().Count());
        var c1Off = h.Coils.Log.Single(l => l.Compartment == C(1) && !l.On && l.At > h.Coils.Log[0].At);
        var c2On = h.Coils.Log.Single(l => l.Compartment == C(2) && l.On);
        Assert.True(c2On.At >= c1Off.At);
        Assert.True(h.Coils.Log.IndexOf(c2On) > h.Coils.Log.IndexOf(c1Off));
    }

    [Fact]
    public void QueuedUnlockWhoseDoorOpensMeanwhileLeavesTheQueue()
    {
        using var h = new DoorHarness([new DoorConfig(C(1), Rail: 0), new DoorConfig(C(2), Rail: 0)]);
        h.Controller.Unlock(C(1), 1);
        h.Controller.Unlock(C(2), 2);

        h.Controller.OnDoorSensor(C(2), true);
        h.Advance(50);
        h.Advance(1_000);

        Assert.Equal(1, h.Coils.PulsesOf(C(1)));
        Assert.Equal(0, h.Coils.PulsesOf(C(2)));
        Assert.True(h.Of<DoorFact.DoorOpened>().Single().Authorised);
    }

    [Fact]
    public void WatchdogCutsTheCoilWhenTheNormalPathStalls()
    {
        var clock = new Logistics.Testing.ManualTimeProvider();
        var coils = new RecordingCoils(clock);
        var facts = new List<DoorFact>();
        using var controller = new DoorController(
            [new DoorConfig(C(1))], coils, DoorHarness.Options, new StallingTimeProvider(clock, DoorHarness.Options.PulseLength), facts.Add);
        controller.Start(_ => false);

        controller.Unlock(C(1), 9);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Contains(C(1), coils.Energised);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Empty(coils.Energised);
        Assert.Single(facts.OfType<DoorFact.CoilWatchdogTripped>());
        Assert.Equal(TimeSpan.FromSeconds(1), Assert.Single(facts.OfType<DoorFact.PulseSent>()).OnTime);
    }

    [Fact]
    public void LatchFeedbackIsReportedApartFromTheDoorOpening()
    {
        using var h = new DoorHarness([new DoorConfig(C(1), HasLatchFeedback: true)]);
        h.Controller.Unlock(C(1), 4);
        h.Advance(100);

        h.Controller.OnLatchSensor(C(1), true);
        h.Advance(50);

        Assert.Equal(4, Assert.Single(h.Of<DoorFact.LatchReleased>()).Unlock);
        Assert.Empty(h.Of<DoorFact.DoorOpened>());
        h.Door(1, open: true);
        Assert.IsType<DoorFact.DoorOpened>(h.Facts[^1]);
    }

    [Fact]
    public void UnlockRefusesAnOpenDoorAndARepeat()
    {
        using var h = new DoorHarness();
        h.Door(2, open: true);

        Assert.Equal(UnlockResult.AlreadyOpen, h.Controller.Unlock(C(2), 1));
        Assert.Equal(UnlockResult.Started, h.Controller.Unlock(C(1), 2));
        Assert.Equal(UnlockResult.AlreadyUnlocking, h.Controller.Unlock(C(1), 3));
        Assert.Equal(UnlockResult.UnknownCompartment, h.Controller.Unlock(C(99), 4));
        Assert.Equal(1, h.Coils.PulsesOf(C(1)));
    }

    [Fact]
    public void StartTurnsEveryCoilOff()
    {
        var clock = new Logistics.Testing.ManualTimeProvider();
        var coils = new RecordingCoils(clock);
        using var controller = new DoorController([new DoorConfig(C(1)), new DoorConfig(C(2))], coils, DoorHarness.Options, clock, _ => { });

        controller.Start(_ => false);

        Assert.Equal(2, coils.Log.Count(l => !l.On));
        Assert.DoesNotContain(coils.Log, l => l.On);
    }

    [Fact]
    public void OptionsRefuseAPulseLongerThanTheHardMaximum()
    {
        var options = DoorHarness.Options with { PulseLength = TimeSpan.FromSeconds(2) };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }
}
