using Logistics.Domain;

namespace Logistics.Application.Parcels;

/// <summary>
/// What a shop sends to register a parcel; <c>promisedBy</c>, for a priority parcel, the time promised to its recipient
/// today; <c>reference</c>, the shop's own number for it (an order id), told back in its webhooks.
/// </summary>
public sealed record RegisterParcelRequest(RecipientInput? Recipient, ParcelSize? Size, DestinationInput? Destination, DateTimeOffset? PromisedBy = null, string? Reference = null);

public sealed record RecipientInput(string? Name, string? Phone, string? Email, AddressInput? Address);

public sealed record AddressInput(string? Street, string? PostalCode, string? City, double? Latitude, double? Longitude);

/// <summary>
/// <c>kind</c> is "locker" (with lockerId), "relay" (with shopId), "home" (with from/to, and the recipient's address) or
/// "homeBox" (with boxId: the recipient's own home box, which takes only parcels for its owner's phone).
/// </summary>
public sealed record DestinationInput(string? Kind, string? LockerId, string? ShopId, DateTimeOffset? From, DateTimeOffset? To, string? BoxId = null);

public sealed record RegisteredParcel(string ParcelId, string TrackingId, string TrackingUrl);

public sealed record ReasonInput(string? Reason);

public sealed record DepositInput(string? LockerId);

public sealed record DropInput(string? LockerId);

/// <summary>The courier an operator assigns a parcel to.</summary>
public sealed record AssignInput(string? CourierId);

public sealed record CollectInput(string? Code);

/// <summary>
/// What a right code online did: at a locker, the door asked of its board (<see cref="Opening"/>, the command to follow);
/// at a relay shop, the parcel collected.
/// </summary>
public sealed record CollectAnswer(string ParcelId, string? LockerId, int? Compartment, string? DoorCommandId, string Status)
{
    public const string Opening = "opening";
    public const string Collected = "collected";

    /// <summary>Every door opening (more than one when the code is shared by the recipient's parcels there).</summary>
    public IReadOnlyList<int> Compartments { get; init; } = Compartment is { } one ? [one] : [];
}

/// <summary>Where a parcel was put: the compartment whose door opens.</summary>
public sealed record CompartmentAnswer(string ParcelId, string LockerId, int Compartment, DateTimeOffset? CollectBy = null);
