using Logistics.Lockers.Doors;
using Logistics.Testing;

namespace Logistics.Lockers.Tests.Doors;

public sealed class CoilWatchdogTests
{
    [Fact]
    public void CoilLeftOnIsCutAtTheHardMaximum()
    {
        var clock = new ManualTimeProvider();
        var coils = new RecordingCoils(clock);
        using var watchdog = new CoilWatchdog(coils, TimeSpan.FromSeconds(1), clock);
        var tripped = new List<CompartmentId>();
        watchdog.Tripped += tripped.Add;

        watchdog.SetCoil(new CompartmentId(3), true);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(coils.Energised);
        Assert.Equal([new CompartmentId(3)], tripped);
    }

    [Fact]
    public void CoilSwitchedOffInTimeIsNotTripped()
    {
        var clock = new ManualTimeProvider();
        var coils = new RecordingCoils(clock);
        using var watchdog = new CoilWatchdog(coils, TimeSpan.FromSeconds(1), clock);
        var tripped = 0;
        watchdog.Tripped += _ => tripped++;

        watchdog.SetCoil(new CompartmentId(3), true);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        watchdog.SetCoil(new CompartmentId(3), false);
        watchdog.SetCoil(new CompartmentId(3), true);
        clock.Advance(TimeSpan.FromMilliseconds(900));

        Assert.Equal(0, tripped);
        Assert.Contains(new CompartmentId(3), coils.Energised);
    }
}
