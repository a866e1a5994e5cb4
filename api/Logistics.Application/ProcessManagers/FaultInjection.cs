namespace Logistics.Application.ProcessManagers;

/// <summary>
/// Named points between the steps of multi-stream workflows where tests make the process "die" (throw), to prove
/// that what was started is finished after a restart without the client. Production never arms one.
/// </summary>
public sealed class FaultInjection
{
    private readonly HashSet<string> _armed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The points workflows pass, for tests that enumerate them.</summary>
    public static IReadOnlyList<string> Points { get; } =
    [
        DropAfterReserve, DepositAfterReserve, DepositAfterRekey, FollowUpAfterOccupy, FollowUpAfterDoor, FollowUpAfterFree, StopAfterParcelAction,
    ];

    /// <summary>Points in background services where a dependency or an input fails (class 10 of issue 11).</summary>
    public static IReadOnlyList<string> BackgroundPoints { get; } = [SchedulerBeforeParcel, PlanningAfterInput, PlanningBeforeApply];

    public const string SchedulerBeforeParcel = "scheduler:before-parcel";
    public const string PlanningAfterInput = "planning:after-input";
    public const string PlanningBeforeApply = "planning:before-apply";

    public const string DropAfterReserve = "drop:after-reserve";
    public const string DepositAfterReserve = "deposit:after-reserve";
    public const string DepositAfterRekey = "deposit:after-rekey";
    public const string FollowUpAfterOccupy = "follow-up:after-occupy";
    public const string FollowUpAfterDoor = "follow-up:after-door";
    public const string FollowUpAfterFree = "follow-up:after-free";
    public const string StopAfterParcelAction = "stop:after-parcel-action";

    /// <summary>The next pass through <paramref name="point"/> throws (once).</summary>
    public void Arm(string point)
    {
        lock (_gate)
        {
            _armed.Add(point);
        }
    }

    /// <summary>Whether <paramref name="point"/> is armed and not passed yet.</summary>
    public bool IsArmed(string point)
    {
        lock (_gate)
        {
            return _armed.Contains(point);
        }
    }

    /// <summary>Called by workflows between two steps.</summary>
    public void At(string point)
    {
        lock (_gate)
        {
            if (_armed.Count == 0 || !_armed.Remove(point))
            {
                return;
            }
        }

        throw new SimulatedCrash(point);
    }
}

/// <summary>The process "died" at a fault point (tests only).</summary>
public sealed class SimulatedCrash(string point) : Exception($"Simulated crash at {point}.")
{
    public string Point { get; } = point;
}
