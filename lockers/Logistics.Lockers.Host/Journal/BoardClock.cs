namespace Logistics.Lockers.Host.Journal;

/// <summary>When a fact happened, as the board can tell: boot id + monotonic milliseconds (exact order within
/// a boot) and the wall clock with a flag saying whether it was synchronised (NTP) at the time.</summary>
public readonly record struct EventStamp(Guid BootId, long MonotonicMs, DateTimeOffset WallClock, bool ClockSynchronised);

public sealed class BoardClock(TimeProvider time, Guid bootId, Func<bool> isSynchronised)
{
    public TimeProvider Time { get; } = time;

    public Guid BootId { get; } = bootId;

    public EventStamp Now() =>
        new(BootId, (long)(Time.GetTimestamp() * 1000.0 / Time.TimestampFrequency), Time.GetUtcNow(), isSynchronised());

    /// <summary>
    /// The board's real clock: the kernel's boot id pairs with the monotonic clock (Stopwatch is CLOCK_MONOTONIC
    /// on Linux), and systemd-timesyncd marks a synchronised clock with a flag file.
    /// </summary>
    public static BoardClock System()
    {
        const string bootIdPath = "/proc/sys/kernel/random/boot_id";
        var bootId = File.Exists(bootIdPath) && Guid.TryParse(File.ReadAllText(bootIdPath).Trim(), out var id) ? id : Guid.NewGuid();
        return new BoardClock(TimeProvider.System, bootId, () => File.Exists("/run/systemd/timesync/synchronized"));
    }
}
