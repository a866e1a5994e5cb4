namespace Logistics.EventStore.Tests.Serialization;

public readonly record struct TestParcelId(string Value)
{
    public override string ToString() => Value;
}

public sealed record Person(string PersonId, string Name, string? Phone, string? Email, string? Address);

public abstract record Where
{
    private Where()
    {
    }

    public sealed record Locker(string LockerId) : Where;

    public sealed record Home(string Window) : Where;
}

public abstract record TestEvent;

/// <summary>Version 2: "Size" was added; version 1 stored "Big" (bool) instead.</summary>
public sealed record Registered(TestParcelId Parcel, Person Recipient, Where Destination, string Size) : TestEvent;

public sealed record Collected(TestParcelId Parcel, DateTimeOffset At) : TestEvent;
