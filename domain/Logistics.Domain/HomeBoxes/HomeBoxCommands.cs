using Logistics.Domain.Parcels;

namespace Logistics.Domain.HomeBoxes;

/// <summary>Commands on a home box's stream. Codes and phones arrive keyed (hashed) by the caller, never in clear.</summary>
public abstract record HomeBoxCommand;

public sealed record ProvisionHomeBox(LockerId Box, string PairingCodeHash, DateTimeOffset Now) : HomeBoxCommand;

/// <summary>A resident pairs the box: the code printed on it (keyed) proves they stand in front of it.</summary>
public sealed record ClaimHomeBox(string PairingCodeHash, Recipient Resident, string PhoneKey, DateTimeOffset Now) : HomeBoxCommand;

/// <summary>The owner gives the box up, proving it with the box's code and their phone (both keyed).</summary>
public sealed record ReleaseHomeBox(string PairingCodeHash, string PhoneKey, DateTimeOffset Now) : HomeBoxCommand;
