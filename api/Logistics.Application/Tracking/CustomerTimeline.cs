using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;

namespace Logistics.Application.Tracking;

/// <summary>
/// One step of a parcel's history as its recipient reads it: a kind the page words in the reader's language, and
/// the places by their names (never an internal id, a courier, or anyone's personal data).
/// </summary>
public sealed record CustomerStep(
    DateTimeOffset At,
    string Kind,
    string? Place = null,
    int? Compartment = null,
    DateTimeOffset? Until = null,
    int? Attempt = null);

/// <summary>Builds the recipient's timeline from the parcel's own events, naming lockers and shops from the directory.</summary>
public sealed class CustomerTimeline(EventStreams streams, LockerQueries lockers, DirectoryQueries directory)
{
    public async Task<IReadOnlyList<CustomerStep>> ForAsync(string parcelId, CancellationToken cancellationToken)
    {
        var recorded = await streams.Store.ReadStreamAsync(StreamName.For(new ParcelId(parcelId)), 1, cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var steps = new List<CustomerStep>(recorded.Count);
        foreach (var r in recorded)
        {
            if (streams.Serializer.Deserialize(r) is ParcelEvent e && await StepAsync(e, names, cancellationToken) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private async Task<CustomerStep?> StepAsync(ParcelEvent e, Dictionary<string, string> names, CancellationToken ct) => e switch
    {
        ParcelRegistered r => new(r.At, "registered", await DestinationAsync(r.Destination, names, ct)),
        ParcelDroppedAtLocker d => new(d.At, "dropped", await LockerAsync(d.Locker, names, ct)),
        ParcelPickedUp { ForReturn: true } p => new(p.At, "pickedUpForReturn"),
        ParcelPickedUp p => new(p.At, "pickedUp", p.FromShop is { } shop ? await ShopAsync(shop, names, ct) : null),
        ParcelDeposited d => new(d.At, "deposited", await LockerAsync(d.Locker, names, ct), d.Compartment, d.CollectBy),
        ParcelDepositedInHomeBox d => new(d.At, "inHomeBox", await LockerAsync(d.Box, names, ct)),
        ParcelDepositedAtRelay d => new(d.At, "depositedAtRelay", await ShopAsync(d.RelayShop, names, ct), Until: d.CollectBy),
        ParcelCollected c => new(c.At, "collected", c.Locker is { } l ? await LockerAsync(l, names, ct) : c.RelayShop is { } s ? await ShopAsync(s, names, ct) : null),
        WrongCodeEntered w => new(w.At, "wrongCode", Attempt: w.Attempt),
        PickupCodeBlocked b => new(b.At, "codeBlocked", Attempt: b.Attempts),
        PickupCodeReissued r => new(r.At, "codeReissued", Until: r.CodeExpiresAt),
        ReminderSent r => new(r.At, "reminder", Until: r.CollectBy),
        CollectionDeadlineExtended x => new(x.At, "extended", Until: x.NewCollectBy),
        ParcelExpired x => new(x.At, "expired"),
        ParcelReturned r => new(r.At, "returned", await ShopAsync(r.Shop, names, ct)),
        // The recipient's page says a proof was kept, never shows it (it is reached by tracking number alone).
        ParcelDelivered { Proof: not null } d => new(d.At, "deliveredWithProof"),
        ParcelDelivered d => new(d.At, "delivered"),
        HomeDeliveryFailed f => new(f.At, "deliveryFailed"),
        ParcelRedirected r => new(r.At, "redirected", await LockerAsync(r.Locker, names, ct)),
        ParcelCancelled c => new(c.At, "cancelled", await ShopAsync(c.By, names, ct)),
        _ => null,
    };

    private Task<string?> DestinationAsync(Destination destination, Dictionary<string, string> names, CancellationToken ct) => destination switch
    {
        Destination.ToLocker l => LockerAsync(l.Locker, names, ct),
        Destination.ToHomeBox b => LockerAsync(b.Box, names, ct),
        Destination.ToRelayShop s => ShopAsync(s.Shop, names, ct),
        _ => Task.FromResult<string?>(null),
    };

    private async Task<string?> LockerAsync(LockerId id, Dictionary<string, string> names, CancellationToken ct)
    {
        var key = "locker:" + id.Value;
        if (!names.TryGetValue(key, out var name))
        {
            name = await lockers.NameAsync(id, ct) ?? id.Value;
            names[key] = name;
        }

        return name;
    }

    private async Task<string?> ShopAsync(ShopId id, Dictionary<string, string> names, CancellationToken ct)
    {
        var key = "shop:" + id.Value;
        if (!names.TryGetValue(key, out var name))
        {
            name = (await directory.ShopAsync(id, ct))?.Name ?? id.Value;
            names[key] = name;
        }

        return name;
    }
}
