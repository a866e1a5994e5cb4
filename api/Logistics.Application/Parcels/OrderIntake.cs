using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;

namespace Logistics.Application.Parcels;

/// <summary>
/// A web store's order: its own order id, the customer's recipient details and their choice of a locker, a relay
/// shop or a home window.
/// </summary>
public sealed record OrderInput(string? OrderId, RecipientInput? Recipient, ParcelSize? Size, DestinationInput? Destination, DateTimeOffset? PromisedBy = null);

/// <summary>The parcel an order became; <see cref="Repeated"/> when the order id had been received before.</summary>
public sealed record OrderAnswer(string OrderId, string ParcelId, string TrackingId, string TrackingUrl, string Status, bool Repeated);

/// <summary>
/// Orders from a shop's web store (click and collect, home delivery): each order id becomes one parcel of the shop,
/// however often the store sends it (a timeout, a retried job), and is told back in the shop's webhooks. The same
/// order id sent with another parcel (size or destination) is refused rather than taken as a second one.
/// </summary>
public sealed class OrderIntake(ParcelActions actions, EventStreams streams)
{
    public const int MaxOrderId = InputLimits.Reference;
    public const string OrderChangedCode = "order.changed";

    public async Task<OrderAnswer> ReceiveAsync(ShopId shop, OrderInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        var orderId = ValidOrderId(input.OrderId);
        var context = Context(actor, orderId);
        if (await KnownAsync(shop, context, cancellationToken) is { } known)
        {
            if (known.Details.Size != input.Size || !SameDestination(known.Details.Destination, input.Destination))
            {
                throw Refusal.Conflict(
                    OrderChangedCode,
                    $"Order {orderId} was received before as parcel {known.Details.TrackingId} ({known.Details.Size}, {Describe(known.Details.Destination)}); an order id names one parcel. Cancel it and send the order under a new id to change it.");
            }

            return Answer(orderId, known, repeated: true);
        }

        var registered = await actions.RegisterAsync(
            shop, new RegisterParcelRequest(input.Recipient, input.Size, input.Destination, input.PromisedBy, orderId), context, cancellationToken);
        return new OrderAnswer(orderId, registered.ParcelId, registered.TrackingId, registered.TrackingUrl, nameof(ParcelStatus.AwaitingPickup), false);
    }

    /// <summary>The parcel an order of this store became, or a 404 refusal.</summary>
    public async Task<OrderAnswer> FindAsync(ShopId shop, string orderId, Actor actor, CancellationToken cancellationToken = default)
    {
        orderId = ValidOrderId(orderId);
        return await KnownAsync(shop, Context(actor, orderId), cancellationToken) is { } known
            ? Answer(orderId, known, repeated: false)
            : throw Refusal.NotFound($"No order {orderId} was received from your store.");
    }

    private async Task<Parcel.Known?> KnownAsync(ShopId shop, CommandContext context, CancellationToken cancellationToken) =>
        (await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(new ParcelId(context.NewId("parcel"))), cancellationToken)).State is Parcel.Known known
        && known.Details.Shop == shop
            ? known
            : null;

    // The parcel's id derives from the store's identity and the order id: a repeat names the same parcel.
    private static CommandContext Context(Actor actor, string orderId) => new(actor, $"order:{orderId}");

    private static string ValidOrderId(string? orderId)
    {
        new Validation()
            .NotBlank(orderId, "orderId", "The order id")
            .Require(orderId is null || (InputLimits.IsId(orderId) && orderId.Length <= MaxOrderId), "orderId", InputLimits.IdSyntaxCode,
                $"An order id of 1 to {MaxOrderId} letters, digits, '.', '_', ':' or '-'.")
            .ThrowIfAny();
        return orderId!;
    }

    private static OrderAnswer Answer(string orderId, Parcel.Known known, bool repeated) =>
        new(orderId, known.Details.Id.Value, known.Details.TrackingId, $"/track/{known.Details.TrackingId}", ParcelTimeline.StatusOf(known).ToString(), repeated);

    private static bool SameDestination(Destination registered, DestinationInput? asked) => (registered, asked?.Kind?.Trim().ToLowerInvariant()) switch
    {
        (Destination.ToLocker l, "locker") => l.Locker.Value == asked!.LockerId,
        (Destination.ToRelayShop r, "relay") => r.Shop.Value == asked!.ShopId,
        (Destination.ToHome, "home") => true,
        (Destination.ToHomeBox b, "homebox") => b.Box.Value == asked!.BoxId,
        _ => false,
    };

    private static string Describe(Destination destination) => destination switch
    {
        Destination.ToLocker l => $"locker {l.Locker}",
        Destination.ToRelayShop r => $"relay shop {r.Shop}",
        Destination.ToHomeBox b => $"home box {b.Box}",
        _ => "home delivery",
    };
}
