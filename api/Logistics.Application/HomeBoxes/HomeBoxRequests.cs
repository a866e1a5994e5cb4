using Logistics.Application.Parcels;

namespace Logistics.Application.HomeBoxes;

/// <summary>
/// What the operator sends to set up a home box where it is installed (its one compartment's size, M by default; the
/// board's public key when it is known already). The position is the box's, which couriers must reach.
/// </summary>
public sealed record HomeBoxInput(string? Name, string? Address, double? Latitude, double? Longitude, Domain.ParcelSize? Size = null, string? DevicePublicKey = null);

/// <summary>The box set up: its id, the board's API key and the pairing code to print on it (both shown once).</summary>
public sealed record ProvisionedHomeBox(string BoxId, string ApiKey, string PairingCode);

/// <summary>A resident pairing a box: the code printed on it, who they are and where they live.</summary>
public sealed record ClaimInput(string? PairingCode, string? Name, string? Phone, string? Email, AddressInput? Address);

/// <summary>The owner giving the box up: the code printed on it and the phone they paired it with.</summary>
public sealed record ReleaseInput(string? PairingCode, string? Phone);

/// <summary>What the resident is told once the box is theirs: its id, for shops to deliver to.</summary>
public sealed record ClaimedHomeBox(string BoxId, string Name);

/// <summary>A home box as the operator sees it: where, whether paired (not by whom) and whether it holds a parcel.</summary>
public sealed record HomeBoxView(string BoxId, string Name, string Address, bool Paired, DateTimeOffset Since, bool Online, bool Occupied);
