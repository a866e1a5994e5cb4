namespace Logistics.Lockers.Hardware.Gpio;

public enum PinMode
{
    Output,
    Input,
    InputPullUp,
    InputPullDown,
}

[Flags]
public enum PinEdge
{
    None = 0,
    Rising = 1,
    Falling = 2,
    Both = Rising | Falling,
}

/// <summary>An edge on an input line; <paramref name="TimestampNs"/> is the driver's monotonic time of the edge.</summary>
public readonly record struct PinEvent(int Pin, PinEdge Edge, long TimestampNs);
