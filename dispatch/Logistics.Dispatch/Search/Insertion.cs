namespace Logistics.Dispatch.Search;

/// <summary>Where a request would go in a route and what it would add to the cost.</summary>
internal struct Insertion
{
    public long Delta;
    public int Vehicle;
    public int First;
    public int Second;

    public static Insertion None => new() { Delta = long.MaxValue, Vehicle = -1 };

    public readonly bool Found => Vehicle >= 0;
}
