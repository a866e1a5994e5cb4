using Logistics.Lockers.Doors;
using Logistics.Testing;

namespace Logistics.Lockers.Tests.Doors;

/// <summary>A door controller over recording coils and a manual clock.</summary>
internal sealed class DoorHarness : IDisposable
{
    public static readonly DoorOptions Options = new()
    {
        PulseLength = TimeSpan.FromMilliseconds(300),
        MaxOnTime = TimeSpan.FromSeconds(1),
        OpenTimeout = TimeSpan.FromSeconds(4),
        LeftOpenAfter = TimeSpan.FromSeconds(60),
        Debounce = TimeSpan.FromMilliseconds(50),
    };

    public DoorHarness(IEnumerable<DoorConfig>? doors = null, TimeProvider? time = null, DoorOptions? options = null)
    {
        Clock = new ManualTimeProvider();
        Coils = new RecordingCoils(Clock);
        Controller = new DoorController(
            doors ?? [new DoorConfig(new CompartmentId(1)), new DoorConfig(new CompartmentId(2))],
            Coils,
            options ?? Options,
            time ?? Clock,
            Facts.Add);
        Controller.Start(_ => false);
    }

    public ManualTimeProvider Clock { get; }

    public RecordingCoils Coils { get; }

    public DoorController Controller { get; }

    public List<DoorFact> Facts { get; } = [];

    public static CompartmentId C(int n) => new(n);

    public void Advance(int milliseconds) => Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Sets the door sensor and lets the debounce time pass.</summary>
    public void Door(int compartment, bool open)
    {
        Controller.OnDoorSensor(C(compartment), open);
        Advance(50);
    }

    public IEnumerable<T> Of<T>()
        where T : DoorFact => Facts.OfType<T>();

    public void Dispose() => Controller.Dispose();
}

/// <summary>Coils that remember every switch with the manual clock's time.</summary>
internal sealed class RecordingCoils(ManualTimeProvider clock) : ICoilOutput
{
    public HashSet<CompartmentId> Energised { get; } = [];

    public List<(CompartmentId Compartment, bool On, DateTimeOffset At)> Log { get; } = [];

    public void SetCoil(CompartmentId compartment, bool energised)
    {
        if (energised)
        {
            Energised.Add(compartment);
        }
        else
        {
            Energised.Remove(compartment);
        }

        Log.Add((compartment, energised, clock.GetUtcNow()));
    }

    public int PulsesOf(CompartmentId compartment) => Log.Count(l => l.Compartment == compartment && l.On);
}

/// <summary>A clock whose timers of one given due time never fire: the controller's normal path stalls.</summary>
internal sealed class StallingTimeProvider(ManualTimeProvider inner, TimeSpan stalledDueTime) : TimeProvider
{
    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        dueTime == stalledDueTime
            ? inner.CreateTimer(_ => { }, null, dueTime, period)
            : inner.CreateTimer(callback, state, dueTime, period);
}
