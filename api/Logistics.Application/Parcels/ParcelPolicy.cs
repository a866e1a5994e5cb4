namespace Logistics.Application.Parcels;

/// <summary>How long a parcel waits for its recipient, and when they are reminded.</summary>
public sealed record ParcelPolicy
{
    /// <summary>From the deposit to the deadline ("not collected in N days").</summary>
    public TimeSpan CollectWithin { get; init; } = TimeSpan.FromDays(5);

    /// <summary>The reminder goes out this long before the deadline.</summary>
    public TimeSpan RemindBefore { get; init; } = TimeSpan.FromDays(2);

    /// <summary>What a customer's "more time, please" adds (once).</summary>
    public TimeSpan Extension { get; init; } = TimeSpan.FromDays(2);
}
