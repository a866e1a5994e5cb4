namespace Logistics.EventStore;

/// <summary>
/// Values for an append's expected version. A stream's version is its number of events, so a positive number
/// means "the stream has exactly that many events".
/// </summary>
public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version.</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;
}
