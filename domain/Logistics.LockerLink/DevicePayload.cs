using System.Text.Json.Serialization;

namespace Logistics.LockerLink;

/// <summary>What happened on the board. Compartments are numbered as on the locker's door labels.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DoorOpened), "doorOpened")]
[JsonDerivedType(typeof(DoorClosed), "doorClosed")]
[JsonDerivedType(typeof(PulseSent), "pulseSent")]
[JsonDerivedType(typeof(LatchReleased), "latchReleased")]
[JsonDerivedType(typeof(Jammed), "jammed")]
[JsonDerivedType(typeof(DoorLeftOpen), "doorLeftOpen")]
[JsonDerivedType(typeof(ForcedOpen), "forcedOpen")]
[JsonDerivedType(typeof(CoilWatchdogTripped), "coilWatchdogTripped")]
[JsonDerivedType(typeof(UnlockOutcomeUnknown), "unlockOutcomeUnknown")]
[JsonDerivedType(typeof(CodeAccepted), "codeAccepted")]
[JsonDerivedType(typeof(CodeRejected), "codeRejected")]
[JsonDerivedType(typeof(CommandResult), "commandResult")]
[JsonDerivedType(typeof(LabelScanned), "labelScanned")]
[JsonDerivedType(typeof(UpdateInstalled), "updateInstalled")]
[JsonDerivedType(typeof(UpdateRolledBack), "updateRolledBack")]
[JsonDerivedType(typeof(UpdateRefused), "updateRefused")]
public abstract record DevicePayload
{
    private DevicePayload()
    {
    }

    /// <summary>The door opened; authorised when it followed an unlock (then <paramref name="Cause"/> says which).</summary>
    public sealed record DoorOpened(int Compartment, bool Authorised, UnlockCause? Cause) : DevicePayload;

    public sealed record DoorClosed(int Compartment, long OpenForMs) : DevicePayload;

    public sealed record PulseSent(int Compartment, int Attempt, long OnTimeMs, UnlockCause? Cause) : DevicePayload;

    public sealed record LatchReleased(int Compartment, UnlockCause? Cause) : DevicePayload;

    /// <summary>Alarm: the lock was pulsed twice and the door stayed shut.</summary>
    public sealed record Jammed(int Compartment, int Attempts, UnlockCause? Cause) : DevicePayload;

    /// <summary>Alarm: the door has been open this long.</summary>
    public sealed record DoorLeftOpen(int Compartment, long OpenForMs) : DevicePayload;

    /// <summary>Alarm: the door opened with no unlock under way.</summary>
    public sealed record ForcedOpen(int Compartment) : DevicePayload;

    /// <summary>Alarm: a coil reached the hard maximum on-time and was cut by the watchdog.</summary>
    public sealed record CoilWatchdogTripped(int Compartment) : DevicePayload;

    /// <summary>
    /// The board restarted with an unlock intent whose outcome it never saw (power cut or crash between the
    /// intent and the door's answer). It is not retried: the core decides (e.g. ask the operator).
    /// </summary>
    public sealed record UnlockOutcomeUnknown(int Compartment, UnlockCause Cause, DateTimeOffset IntendedAt) : DevicePayload;

    /// <summary>A pickup code was accepted on the keypad, at <paramref name="CollectedAt"/> (board time), online or not.</summary>
    public sealed record CodeAccepted(string ParcelId, int Compartment, DateTimeOffset CollectedAt) : DevicePayload;

    /// <summary>A code was refused; <paramref name="RetryAfterSeconds"/> is non-zero while the keypad is throttled.</summary>
    public sealed record CodeRejected(string Reason, long RetryAfterSeconds) : DevicePayload;

    /// <summary>The outcome of a core command, sent once when executed and again whenever the core repeats it.</summary>
    public sealed record CommandResult(string CommandId, CommandStatus Status, string? Detail) : DevicePayload;

    /// <summary>A courier scanned a code at the locker that is not a pickup code (a parcel's label): its text as read.</summary>
    public sealed record LabelScanned(string Text) : DevicePayload;

    /// <summary>A release was verified and installed; the board restarts into it and keeps it once it reaches the core.</summary>
    public sealed record UpdateInstalled(string FromVersion, string ToVersion) : DevicePayload;

    /// <summary>
    /// The board went back to <paramref name="RestoredVersion"/> by itself: <paramref name="FailedVersion"/> did not
    /// reach the core in time, or did not start (<paramref name="Reason"/>). Sent by the restored version.
    /// </summary>
    public sealed record UpdateRolledBack(string FailedVersion, string RestoredVersion, string Reason) : DevicePayload;

    /// <summary>A release bundle was refused before anything was installed (bad signature, wrong board, damaged file).</summary>
    public sealed record UpdateRefused(string Version, string Reason) : DevicePayload;
}

[JsonConverter(typeof(JsonStringEnumConverter<CommandStatus>))]
public enum CommandStatus
{
    /// <summary>Done (for an opening: the unlock is started; the door's own events tell the rest).</summary>
    Executed,
    /// <summary>Valid but refused by the board's own rules (door busy, unknown compartment, remote-open burst).</summary>
    Refused,
    Expired,
    BadSignature,
    /// <summary>Sequence number not above the last accepted one, with an id never seen: a replay or a stale command.</summary>
    Stale,
}
