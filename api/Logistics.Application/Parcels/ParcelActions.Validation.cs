using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Shops;

namespace Logistics.Application.Parcels;

public sealed partial class ParcelActions
{
    /// <summary>Checks a registration field by field, so the shop sees every problem at once, next to its field.</summary>
    private async Task<(Recipient Recipient, ParcelSize Size, Destination Destination)> ValidateAsync(
        RegisterParcelRequest request, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var r = request.Recipient;
        v.Require(r is not null, "recipient", "validation.recipient-missing", "Say who the parcel is for.");
        v.NotBlank(r?.Name, "recipient.name", "The recipient's name");
        v.Require(r is null || !string.IsNullOrWhiteSpace(r.Phone) || !string.IsNullOrWhiteSpace(r.Email), "recipient.phone", "validation.contact-missing", "Give a phone number or an e-mail address, so the recipient gets the pickup code.");
        v.Require(string.IsNullOrWhiteSpace(r?.Phone) || PickupCodes.PhoneSuffix(r.Phone) is not null, "recipient.phone", "validation.phone-too-short", "The phone number needs at least 4 digits.");
        v.Require(string.IsNullOrWhiteSpace(r?.Email) || (r.Email.Contains('@', StringComparison.Ordinal) && r.Email.Trim().Length >= 3), "recipient.email", "validation.email-invalid", "The e-mail address does not look right.");
        v.Require(request.Size is not null, "size", "validation.size-missing", "Choose a size: S, M or L.");
        v.Require(string.IsNullOrWhiteSpace(request.Reference) || (InputLimits.IsId(request.Reference.Trim()) && request.Reference.Trim().Length <= InputLimits.Reference),
            "reference", InputLimits.IdSyntaxCode, $"A reference of 1 to {InputLimits.Reference} letters, digits, '.', '_', ':' or '-'.");
        var d = request.Destination;
        var kind = d?.Kind?.Trim().ToLowerInvariant();
        v.Require(kind is "locker" or "relay" or "home" or "homebox", "destination.kind", "validation.destination-missing", "Choose a destination: a locker, a relay shop, a home address or the recipient's home box.");
        v.Require(kind != "homebox" || !string.IsNullOrWhiteSpace(d?.BoxId), "destination.boxId", "validation.box-missing", "Say which home box.");
        v.Require(kind != "homebox" || !string.IsNullOrWhiteSpace(r?.Phone), "recipient.phone", "validation.box-needs-phone", "A home box takes its owner's parcels: give the recipient's phone.");
        v.Require(kind != "locker" || !string.IsNullOrWhiteSpace(d?.LockerId), "destination.lockerId", "validation.locker-missing", "Choose the locker.");
        v.Require(kind != "relay" || !string.IsNullOrWhiteSpace(d?.ShopId), "destination.shopId", "validation.relay-missing", "Choose the relay shop.");
        var a = r?.Address;
        LimitSizes(v, request, Now);
        if (kind == "home")
        {
            v.Require(a is not null, "recipient.address", "validation.address-missing", "Home delivery needs the recipient's address.");
            v.NotBlank(a?.Street, "recipient.address.street", "The street");
            v.NotBlank(a?.PostalCode, "recipient.address.postalCode", "The postal code");
            v.NotBlank(a?.City, "recipient.address.city", "The town");
            v.Require(a?.Latitude is >= -90 and <= 90 && a.Longitude is >= -180 and <= 180, "recipient.address.location", "validation.position-missing", "The address needs a position on the map.");
            v.Require(d?.From is not null && d.To is not null && d.To > d.From, "destination.window", "validation.window-invalid", "Give a delivery window whose end comes after its start.");
            v.Require(d?.From is null || d.From > Now.AddMinutes(-5), "destination.window", "validation.window-past", "The delivery window is already over.");
        }

        if (request.PromisedBy is { } promised)
        {
            var zone = streams.Clock.LocalTimeZone;
            v.Require(promised > Now, "promisedBy", "validation.promise-past", "The time promised to the recipient is already past.");
            v.Require(TimeZoneInfo.ConvertTime(promised, zone).Date == TimeZoneInfo.ConvertTime(Now, zone).Date, "promisedBy", "validation.promise-not-today", "A priority parcel is promised for today: give a time before midnight.");
            v.Require(kind != "home" || d?.From is null || promised >= d.From, "promisedBy", "validation.promise-before-window", "The promised time comes before the delivery window opens.");
        }

        v.ThrowIfAny();

        Destination destination = kind switch
        {
            "locker" => new Destination.ToLocker(await ExistingLockerAsync(new LockerId(d!.LockerId!.Trim()), cancellationToken)),
            "relay" => new Destination.ToRelayShop(await RelayShopAsync(new ShopId(d!.ShopId!.Trim()), cancellationToken)),
            "homebox" => new Destination.ToHomeBox(await HomeBoxOfAsync(new LockerId(d!.BoxId!.Trim()), r!.Phone, cancellationToken)),
            _ => new Destination.ToHome(new TimeWindow(d!.From!.Value, d.To!.Value)),
        };
        destination = destination with { PromisedBy = request.PromisedBy };
        var address = a is { Latitude: { } lat, Longitude: { } lon } && !string.IsNullOrWhiteSpace(a.Street)
            ? new HomeAddress(a.Street.Trim(), a.PostalCode?.Trim() ?? "", a.City?.Trim() ?? "", new GeoPoint(lat, lon))
            : null;
        var recipient = new Recipient(
            new PersonId(Guid.CreateVersion7().ToString("N")),
            r!.Name!.Trim(),
            string.IsNullOrWhiteSpace(r.Phone) ? null : r.Phone.Trim(),
            string.IsNullOrWhiteSpace(r.Email) ? null : r.Email.Trim(),
            address);
        return (recipient, request.Size!.Value, destination);
    }

    /// <summary>What no registration may exceed, whatever its destination (see <see cref="InputLimits"/>).</summary>
    private static void LimitSizes(Validation v, RegisterParcelRequest request, DateTimeOffset now)
    {
        var (r, d, a) = (request.Recipient, request.Destination, request.Recipient?.Address);
        v.MaxLength(r?.Name, "recipient.name", InputLimits.Name);
        v.MaxLength(r?.Phone, "recipient.phone", InputLimits.Phone);
        v.MaxLength(r?.Email, "recipient.email", InputLimits.Email);
        v.MaxLength(a?.Street, "recipient.address.street", InputLimits.Address);
        v.MaxLength(a?.PostalCode, "recipient.address.postalCode", InputLimits.PostalCode);
        v.MaxLength(a?.City, "recipient.address.city", InputLimits.Name);
        v.Position(a?.Latitude, a?.Longitude, "recipient.address.location", required: false);
        v.Defined(request.Size, "size");
        v.MaxLength(d?.Kind, "destination.kind", 20);
        v.Id(d?.LockerId, "destination.lockerId");
        v.Id(d?.ShopId, "destination.shopId");
        v.Id(d?.BoxId, "destination.boxId");
        v.Near(d?.From, now, "destination.window");
        v.Near(d?.To, now, "destination.window");
        v.Near(request.PromisedBy, now, "promisedBy");
    }

    private async Task<LockerId> ExistingLockerAsync(LockerId locker, CancellationToken cancellationToken)
    {
        var (state, _) = await streams.LoadAsync(Deciders.Locker, Deciders.Stream(locker), cancellationToken);
        if (state is not Locker.Registered)
        {
            throw Refusal.Invalid("destination.lockerId", "validation.locker-unknown", $"There is no locker {locker}.");
        }

        return await homeBoxes.AcceptsAsync(locker, null, cancellationToken) is null
            ? locker
            : throw Refusal.Invalid("destination.lockerId", "validation.locker-is-home-box", $"{locker} is a resident's home box: send it as a homeBox destination, for its owner only.");
    }

    /// <summary>A home box takes only its owner's parcels: the recipient's phone must be the one the box was paired with.</summary>
    private async Task<LockerId> HomeBoxOfAsync(LockerId box, string? phone, CancellationToken cancellationToken) =>
        await homeBoxes.AcceptsAsync(box, phone, cancellationToken) switch
        {
            null => throw Refusal.Invalid("destination.boxId", "validation.box-unknown", $"There is no home box {box}."),
            false => throw Refusal.Invalid("recipient.phone", "validation.box-not-recipients", $"Home box {box} takes only its owner's parcels; this recipient is not its owner."),
            true => box,
        };

    private async Task<ShopId> RelayShopAsync(ShopId shop, CancellationToken cancellationToken)
    {
        var (state, _) = await streams.LoadAsync(Deciders.Shop, Deciders.Stream(shop), cancellationToken);
        return state is Shop.Open { Details.IsRelayPoint: true }
            ? shop
            : throw Refusal.Invalid("destination.shopId", "validation.relay-unknown", $"Shop {shop} is not an open relay point.");
    }
}
