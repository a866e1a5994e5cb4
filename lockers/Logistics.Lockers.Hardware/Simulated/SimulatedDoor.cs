namespace Logistics.Lockers.Hardware.Simulated;

public enum SensorFault
{
    None,
    StuckOpen,
    StuckClosed,
}

/// <summary>
/// One compartment of a <see cref="SimulatedBoard"/>: a solenoid latch on a relay pin (high = energised), a reed
/// switch on a sensor pin (high = door open) and optionally a latch feedback contact (high = released).
/// A pulse releases the latch unless the lock is jammed; the latch then stays released until the door next
/// closes. A spring-loaded door pops open by itself shortly after the release.
/// </summary>
public sealed class SimulatedDoor
{
    private readonly SimulatedBoard _board;

    internal SimulatedDoor(SimulatedBoard board, int relayPin, int sensorPin, int? latchPin)
    {
        _board = board;
        RelayPin = relayPin;
        SensorPin = sensorPin;
        LatchPin = latchPin;
    }

    public int RelayPin { get; }

    public int SensorPin { get; }

    public int? LatchPin { get; }

    public bool IsOpen { get; internal set; }

    public bool LatchReleased { get; internal set; }

    public bool CoilEnergised { get; internal set; }

    /// <summary>The door opens by itself this long after the latch lets go (null: a person must pull it).</summary>
    public TimeSpan? SpringDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The relay clicks but the latch does not move.</summary>
    public bool Jammed { get; set; }

    public SensorFault SensorFault { get; set; }

    /// <summary>Extra contact bounces (1 ms apart) on every sensor change.</summary>
    public int Bounces { get; set; }

    /// <summary>How many times the coil was energised.</summary>
    public int Pulses { get; internal set; }

    /// <summary>A person pulls the door: it opens only if the latch is released.</summary>
    public bool PersonOpens()
    {
        if (IsOpen || !LatchReleased)
        {
            return IsOpen;
        }

        _board.MoveDoor(this, open: true);
        return true;
    }

    /// <summary>A vandal with a crowbar: the door opens whatever the latch.</summary>
    public void ForceOpen()
    {
        if (!IsOpen)
        {
            _board.MoveDoor(this, open: true);
        }
    }

    public void PersonCloses()
    {
        if (IsOpen)
        {
            _board.MoveDoor(this, open: false);
        }
    }

    /// <summary>What the reed switch reports, faults included.</summary>
    internal bool SensorLevel => SensorFault switch
    {
        SensorFault.StuckOpen => true,
        SensorFault.StuckClosed => false,
        _ => IsOpen,
    };
}
