namespace Logistics.EventStore;

/// <summary>The stream was not at the version the writer expected: someone else wrote first.</summary>
public sealed class WrongExpectedVersionException : Exception
{
    public WrongExpectedVersionException(string streamId, long expectedVersion, long actualVersion)
        : base($"Stream '{streamId}' is at version {actualVersion}, not {expectedVersion}: it changed since it was read.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    public WrongExpectedVersionException()
    {
        StreamId = "";
    }

    public WrongExpectedVersionException(string message)
        : base(message)
    {
        StreamId = "";
    }

    public WrongExpectedVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
        StreamId = "";
    }

    public string StreamId { get; }

    public long ExpectedVersion { get; }

    public long ActualVersion { get; }
}

/// <summary>Some of an append's event ids were stored before and some not, or in another stream: a client bug.</summary>
public sealed class EventIdReuseException : Exception
{
    public EventIdReuseException(string message)
        : base(message)
    {
    }

    public EventIdReuseException()
    {
    }

    public EventIdReuseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
