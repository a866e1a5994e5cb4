namespace Logistics.EventStore;

/// <summary>
/// A place in the global log: the ordering transaction id, then the insert sequence. Ordered lexicographically.
/// The transaction id comes first because a sequence value is taken at insert time but only becomes visible at commit.
/// </summary>
public readonly record struct GlobalPosition(ulong Transaction, long Sequence) : IComparable<GlobalPosition>
{
    public static readonly GlobalPosition Start = new(0, 0);

    public int CompareTo(GlobalPosition other)
    {
        var byTransaction = Transaction.CompareTo(other.Transaction);
        return byTransaction != 0 ? byTransaction : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Transaction}:{Sequence}";
}
