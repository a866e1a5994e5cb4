namespace Logistics.Lockers.Doors;

/// <summary>
/// What the door controller observed or decided. <see cref="Timestamp"/> is the monotonic
/// <see cref="TimeProvider.GetTimestamp"/> at the moment of the fact; <see cref="Unlock"/> names the unlock
/// intent the fact belongs to, if any.
/// </summary>
public abstract record DoorFact
{
    private DoorFact()
    {
    }

    public abstract CompartmentId Compartment { get; init; }

    public abstract long Timestamp { get; init; }

    public abstract long? Unlock { get; init; }

    /// <summary>A pulse ended (normally or by the watchdog); the coil is off again.</summary>
    public sealed record PulseSent(CompartmentId Compartment, long Timestamp, long? Unlock, int Attempt, TimeSpan OnTime) : DoorFact;

    /// <summary>The lock's feedback contact reported the latch released (locks with feedback only).</summary>
    public sealed record LatchReleased(CompartmentId Compartment, long Timestamp, long? Unlock) : DoorFact;

    /// <summary>The door sensor (debounced) reported open; authorised when an unlock was under way.</summary>
    public sealed record DoorOpened(CompartmentId Compartment, long Timestamp, long? Unlock, bool Authorised) : DoorFact;

    public sealed record DoorClosed(CompartmentId Compartment, long Timestamp, TimeSpan OpenFor) : DoorFact
    {
        public override long? Unlock { get; init; }
    }

    /// <summary>Two pulses were sent and the door stayed shut.</summary>
    public sealed record Jammed(CompartmentId Compartment, long Timestamp, long? Unlock, int Attempts) : DoorFact;

    public sealed record DoorLeftOpen(CompartmentId Compartment, long Timestamp, TimeSpan OpenFor) : DoorFact
    {
        public override long? Unlock { get; init; }
    }

    /// <summary>The door opened with no unlock under way.</summary>
    public sealed record ForcedOpen(CompartmentId Compartment, long Timestamp) : DoorFact
    {
        public override long? Unlock { get; init; }
    }

    /// <summary>The coil was still on at the hard maximum and the watchdog cut it.</summary>
    public sealed record CoilWatchdogTripped(CompartmentId Compartment, long Timestamp, long? Unlock) : DoorFact;
}
