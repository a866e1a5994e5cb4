using Logistics.Application.Access;
using Logistics.Application.Lockers;
using Logistics.Application.Parcels;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.HomeBoxes;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Npgsql;

namespace Logistics.Application.HomeBoxes;

/// <summary>
/// Home boxes, the residents' own parcel boxes: a one-compartment locker (same board, same link, same doors) with a
/// stream of its own saying whose it is. The operator sets one up with a pairing code to print on it; the resident
/// pairs it with that code, their name, phone and address (sealed under their key, like a recipient's), and gives it
/// up with the code and their phone. Shops may send a box only its owner's parcels: the recipient's phone is matched
/// keyed with the server's secret (<see cref="PhoneKey"/>), so no phone is stored or compared in clear.
/// </summary>
public sealed class HomeBoxes(EventStreams streams, PickupCodes keys, ApiKeys apiKeys, LockerDevices devices, RecipientErasure erasure, NpgsqlDataSource dataSource)
{
    private const string PairingPurpose = "home-box-pairing";
    private const string PhonePurpose = "home-box-phone";

    private readonly Sql _sql = new(dataSource);

    private DateTimeOffset Now => streams.Clock.GetUtcNow();

    /// <summary>Sets a box up under a new id (or <paramref name="id"/>, for a seeded network), with its pairing code.</summary>
    public async Task<ProvisionedHomeBox> ProvisionAsync(HomeBoxInput input, CommandContext context, LockerId? id = null, CancellationToken cancellationToken = default)
    {
        var publicKey = input.DevicePublicKey is { Length: <= InputLimits.DevicePublicKey } ? LockerDevices.ParsePublicKey(input.DevicePublicKey) : null;
        var v = new Validation();
        v.NotBlank(input.Name, "name", "The box's name");
        v.NotBlank(input.Address, "address", "The address");
        v.MaxLength(input.Name, "name", InputLimits.Name).MaxLength(input.Address, "address", InputLimits.Address);
        v.MaxLength(input.DevicePublicKey, "devicePublicKey", InputLimits.DevicePublicKey);
        v.Require(input.Latitude is not null && input.Longitude is not null, "location", "validation.position-missing", "A position (latitude, longitude) is required.");
        v.Position(input.Latitude, input.Longitude, "location", required: false);
        v.Defined(input.Size, "size");
        v.Require(input.DevicePublicKey is null || publicKey is not null, "devicePublicKey", "validation.device-key", "The device key is not a P-256 public key (PEM or base64 DER).");
        v.ThrowIfAny();

        var box = id ?? new LockerId("homebox-" + Base32.Random(6).ToLowerInvariant());
        var pairingCode = $"{Base32.Random(4)}-{Base32.Random(4)}";
        var name = input.Name!.Trim();
        await streams.HandleAsync(
            Deciders.Locker,
            Deciders.Stream(box),
            _ => new RegisterLocker(box, name, new GeoPoint(input.Latitude!.Value, input.Longitude!.Value), input.Address!.Trim(), [new CompartmentSpec(1, input.Size ?? ParcelSize.M, LowHeight: false)], Now),
            context,
            cancellationToken: cancellationToken);
        await streams.HandleAsync(Deciders.HomeBox, Deciders.HomeBoxStream(box), _ => new ProvisionHomeBox(box, PairingKey(pairingCode), Now), context, cancellationToken: cancellationToken);
        await devices.RegisterAsync(box, publicKey, cancellationToken);
        var apiKey = await apiKeys.IssueAsync(new Credential(Roles.Locker, box.Value, name, context.Actor.Network ?? Networks.NetworkIds.Default), cancellationToken);
        return new ProvisionedHomeBox(box.Value, apiKey, pairingCode);
    }

    /// <summary>A resident pairs the box in front of them: it becomes theirs.</summary>
    public async Task<ClaimedHomeBox> ClaimAsync(LockerId box, ClaimInput input, CommandContext context, CancellationToken cancellationToken = default)
    {
        var v = new Validation();
        v.NotBlank(input.PairingCode, "pairingCode", "The code printed on the box");
        v.NotBlank(input.Name, "name", "Your name");
        v.NotBlank(input.Phone, "phone", "Your phone number");
        v.Require(string.IsNullOrWhiteSpace(input.Phone) || PhoneKeyOrNull(input.Phone) is not null, "phone", "validation.phone-too-short", $"The phone number needs at least {PickupCodes.PhoneIdentityDigits} digits.");
        v.NotBlank(input.Address?.Street, "address.street", "The street");
        v.NotBlank(input.Address?.PostalCode, "address.postalCode", "The postal code");
        v.NotBlank(input.Address?.City, "address.city", "The town");
        v.MaxLength(input.PairingCode, "pairingCode", 40).MaxLength(input.Name, "name", InputLimits.Name).MaxLength(input.Phone, "phone", InputLimits.Phone)
            .MaxLength(input.Email, "email", InputLimits.Email).MaxLength(input.Address?.Street, "address.street", InputLimits.Address)
            .MaxLength(input.Address?.PostalCode, "address.postalCode", InputLimits.PostalCode).MaxLength(input.Address?.City, "address.city", InputLimits.Name);
        v.ThrowIfAny();

        var (locker, _) = await streams.LoadAsync(Deciders.Locker, Deciders.Stream(box), cancellationToken);
        var registered = locker as Locker.Registered ?? throw Refusal.NotFound($"There is no home box {box}.");
        var a = input.Address!;
        // The box stands at their home: its position is the address's, for the map and the courier.
        var address = new HomeAddress(a.Street!.Trim(), a.PostalCode!.Trim(), a.City!.Trim(), registered.Location);
        var resident = new Recipient(
            new PersonId(Guid.CreateVersion7().ToString("N")),
            input.Name!.Trim(),
            input.Phone!.Trim(),
            string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
            address);
        await streams.HandleAsync(
            Deciders.HomeBox, Deciders.HomeBoxStream(box), _ => new ClaimHomeBox(PairingKey(input.PairingCode!), resident, PhoneKey(input.Phone!), Now), context, cancellationToken: cancellationToken);
        return new ClaimedHomeBox(box.Value, registered.Name);
    }

    /// <summary>
    /// The owner gives the box up; what they told about themselves is erased with their key first (once the code and
    /// phone proved them the owner), so a crash between the two leaves a box still theirs to release again, never
    /// someone released whose data stays.
    /// </summary>
    public async Task ReleaseAsync(LockerId box, ReleaseInput input, CommandContext context, CancellationToken cancellationToken = default)
    {
        var v = new Validation();
        v.NotBlank(input.PairingCode, "pairingCode", "The code printed on the box");
        v.NotBlank(input.Phone, "phone", "Your phone number");
        v.MaxLength(input.PairingCode, "pairingCode", 40).MaxLength(input.Phone, "phone", InputLimits.Phone);
        v.ThrowIfAny();
        ReleaseHomeBox Release(HomeBox _) => new(PairingKey(input.PairingCode!), PhoneKeyOrNull(input.Phone) ?? "", Now);
        var (state, _) = await streams.LoadAsync(Deciders.HomeBox, Deciders.HomeBoxStream(box), cancellationToken);
        if (state is HomeBox.NotProvisioned)
        {
            throw Refusal.NotFound($"There is no home box {box}.");
        }

        foreach (var released in Deciders.HomeBox.Decide(Release(state), state).OfType<HomeBoxReleased>())
        {
            await erasure.EraseAsync(released.Resident.Value, context, cancellationToken);
        }

        await streams.HandleAsync(Deciders.HomeBox, Deciders.HomeBoxStream(box), Release, context, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="box"/> is a home box at all (null when not), and if so whether it may receive a parcel
    /// for <paramref name="phone"/>: only when paired, and to that very phone.
    /// </summary>
    public async Task<bool?> AcceptsAsync(LockerId box, string? phone, CancellationToken cancellationToken)
    {
        var (state, _) = await streams.LoadAsync(Deciders.HomeBox, Deciders.HomeBoxStream(box), cancellationToken);
        return state switch
        {
            HomeBox.NotProvisioned => null,
            HomeBox.Owned owned => PhoneKeyOrNull(phone) is { } key && key == owned.PhoneKey,
            _ => false,
        };
    }

    /// <summary>Every home box of a network, for its operator: where, paired or not, holding a parcel or not; never who owns it.</summary>
    public Task<IReadOnlyList<HomeBoxView>> AllAsync(string network, CancellationToken cancellationToken) => _sql.ListAsync(
        $"""
        select h.box_id, l.name, l.address, h.paired, h.since, l.online and {LockerSessions.AliveSql},
            exists (select 1 from rm_compartments c where c.locker_id = h.box_id and c.status <> 'free')
        from rm_home_boxes h join rm_lockers l on l.locker_id = h.box_id
        where l.network_id = $1
        order by l.name
        """,
        r => new HomeBoxView(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetFieldValue<DateTimeOffset>(4), r.GetBoolean(5), r.GetBoolean(6)),
        cancellationToken,
        network);

    private string PairingKey(string code) =>
        keys.Keyed(PairingPurpose, new string(code.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant());

    private string PhoneKey(string phone) => PhoneKeyOrNull(phone) ?? throw Refusal.Invalid("phone", "validation.phone-too-short", "The phone number is too short.");

    private string? PhoneKeyOrNull(string? phone) =>
        PickupCodes.PhoneIdentity(phone) is { Length: PickupCodes.PhoneIdentityDigits } identity ? keys.Keyed(PhonePurpose, identity) : null;
}
