namespace Logistics.Lockers.Doors;

/// <summary>Timings of the door state machine; defaults suit a 12 V solenoid latch with a reed switch.</summary>
public sealed record DoorOptions
{
    /// <summary>How long the coil is energised for one unlock attempt.</summary>
    public TimeSpan PulseLength { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>A coil is never on longer than this, whatever the normal path does (a watchdog enforces it).</summary>
    public TimeSpan MaxOnTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After a pulse the door is expected open within this time, else one re-pulse, then Jammed.</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>A door open longer than this raises DoorLeftOpen.</summary>
    public TimeSpan LeftOpenAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A sensor value counts only once it has been stable this long.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(50);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PulseLength, TimeSpan.Zero, nameof(PulseLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOnTime, PulseLength, nameof(MaxOnTime));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OpenTimeout, TimeSpan.Zero, nameof(OpenTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeftOpenAfter, TimeSpan.Zero, nameof(LeftOpenAfter));
        ArgumentOutOfRangeException.ThrowIfLessThan(Debounce, TimeSpan.Zero, nameof(Debounce));
    }
}
