namespace Logistics.LockerLink;

/// <summary>
/// One journalled fact of a locker, as sent to the core. <see cref="Seq"/> is gap-free per device from 1;
/// the core deduplicates by (device, seq). <see cref="MonotonicMs"/> counts from the board's boot
/// <see cref="BootId"/>, so facts of one boot order exactly even when the wall clock jumps;
/// <see cref="WallClock"/> is trustworthy only when <see cref="ClockSynchronised"/>.
/// </summary>
public sealed record DeviceEvent(
    string DeviceId,
    long Seq,
    Guid BootId,
    long MonotonicMs,
    DateTimeOffset WallClock,
    bool ClockSynchronised,
    DevicePayload Payload);

/// <summary>Why a door was unlocked, so the core can tie a door event to a deposit, a collection or an operator.</summary>
public sealed record UnlockCause(UnlockKind Kind, string? CommandId = null, string? ParcelId = null);

public enum UnlockKind
{
    Deposit,
    Collection,
    RemoteOpen,
    Pickup,
}
