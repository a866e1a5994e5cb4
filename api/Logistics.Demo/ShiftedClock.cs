namespace Logistics.Demo;

/// <summary>The system clock moved back or forth: lets the demo seed a history (deposits days ago, expired parcels).</summary>
public sealed class ShiftedClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;
}
