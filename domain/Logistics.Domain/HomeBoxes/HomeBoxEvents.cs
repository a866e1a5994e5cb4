using Logistics.Domain.Parcels;

namespace Logistics.Domain.HomeBoxes;

/// <summary>What happened to a home box (its stream beside its locker's). Class names are stored names: never rename one.</summary>
public abstract record HomeBoxEvent(LockerId Box, DateTimeOffset At);

/// <summary>
/// The operator set up the box (its one-compartment locker registered) with a pairing code printed on it;
/// <paramref name="PairingCodeHash"/> is that code keyed with the server's secret, the code itself is never stored.
/// </summary>
public sealed record HomeBoxProvisioned(LockerId Box, string PairingCodeHash, DateTimeOffset At) : HomeBoxEvent(Box, At);

/// <summary>
/// A resident paired the box with its code: it is now theirs. <paramref name="Resident"/> (name, phone, address) is
/// sealed under their key like a parcel's recipient; <paramref name="PhoneKey"/> is their phone keyed with the server's
/// secret, what a parcel's recipient phone is matched against without the phone in clear.
/// </summary>
public sealed record HomeBoxClaimed(LockerId Box, Recipient Resident, string PhoneKey, DateTimeOffset At) : HomeBoxEvent(Box, At);

/// <summary>The resident gave the box up; it can be paired again with its code.</summary>
public sealed record HomeBoxReleased(LockerId Box, PersonId Resident, DateTimeOffset At) : HomeBoxEvent(Box, At);
