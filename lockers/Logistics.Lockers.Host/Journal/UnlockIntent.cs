using Logistics.LockerLink;

namespace Logistics.Lockers.Host.Journal;

/// <summary>An unlock committed before its pulse; it stays unfinished until the door answers (opened or jammed).</summary>
public sealed record UnlockIntent(long Id, int Compartment, UnlockCause Cause, DateTimeOffset IntendedAt);

/// <summary>A command from the core as executed once, with its result for repeats.</summary>
public sealed record StoredCommand(string CommandId, long Seq, DevicePayload.CommandResult Result);
