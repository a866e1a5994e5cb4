namespace Logistics.Domain;

/// <summary>A half-open interval [From, To) of time, e.g. a home-delivery slot. Refuses empty or reversed windows.</summary>
public sealed record TimeWindow
{
    public TimeWindow(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            throw new DomainRuleViolation(
                "time-window.empty",
                $"A time window must end after it starts; {Moment.Format(from)} to {Moment.Format(to)} is empty.");
        }

        From = from;
        To = to;
    }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public TimeSpan Duration => To - From;

    public bool Contains(DateTimeOffset moment) => moment >= From && moment < To;

    public void Deconstruct(out DateTimeOffset from, out DateTimeOffset to) => (from, to) = (From, To);
}
