using Logistics.Application.Notifications;
using Logistics.Application.Projections;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Shops;

namespace Logistics.Application.Parcels;

/// <summary>
/// What shops and couriers do to parcels. Each action decides on the parcel's stream and, where a compartment is
/// involved, on the locker's stream first (the locker decides who gets a compartment, so two couriers never get the
/// same one). Steps are ordered so that a retry after a crash between them completes the action: reservations and
/// most parcel commands are idempotent repeats.
/// </summary>
public sealed partial class ParcelActions(EventStreams streams, ReadModels reads, PickupCodes codes, Outbox outbox, ParcelPolicy policy, Lockers.LockerDevices devices, Planning.RoundProgress? rounds = null)
{
    private DateTimeOffset Now => streams.Clock.GetUtcNow();

    public async Task<RegisteredParcel> RegisterAsync(ShopId shop, RegisterParcelRequest request, CommandContext context, CancellationToken cancellationToken = default)
    {
        var (recipient, size, destination) = await ValidateAsync(request, cancellationToken);
        var (shopState, _) = await streams.LoadAsync(Deciders.Shop, Deciders.Stream(shop), cancellationToken);
        if (shopState is not Shop.Open)
        {
            throw Refusal.Conflict("shop.not-open", $"Shop {shop} is not open in the network, so it cannot register parcels.");
        }

        var parcel = new ParcelId(context.NewId("parcel"));
        if (context.IdempotencyKey is not null
            && (await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken)).State is Parcel.Known known
            && known.Details.Shop == shop)
        {
            // A retry of a registration that went through: the same parcel, not a second one.
            return new RegisteredParcel(parcel.Value, known.Details.TrackingId, $"/track/{known.Details.TrackingId}");
        }

        var tracking = $"LG-{Base32.Random(4)}-{Base32.Random(4)}";
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new RegisterParcel(parcel, tracking, shop, recipient, size, destination, Now),
            context,
            cancellationToken: cancellationToken);
        return new RegisteredParcel(parcel.Value, tracking, $"/track/{tracking}");
    }

    public async Task CancelAsync(ParcelId parcel, ShopId shop, string? reason, CommandContext context, CancellationToken cancellationToken = default)
    {
        var outcome = await streams.HandleAsync(
            Deciders.Parcel, Deciders.Stream(parcel), _ => new Cancel(shop, string.IsNullOrWhiteSpace(reason) ? "cancelled by the shop" : reason.Trim(), Now), context, cancellationToken: cancellationToken);
        foreach (var cancelled in outcome.Events.OfType<ParcelCancelled>())
        {
            if (cancelled is { Locker: { } locker, Compartment: { } number })
            {
                await FreeCompartmentAsync(locker, number, parcel, context, cancellationToken);
            }
        }
    }

    /// <summary>The shop puts a parcel in a locker for a courier to take: the locker answers which compartment.</summary>
    public async Task<CompartmentAnswer> DropAsync(ParcelId parcel, ShopId shop, LockerId locker, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        if (state.Details.Shop != shop)
        {
            throw Refusal.Forbidden("This parcel belongs to another shop.");
        }

        var compartment = await ReserveAsync(locker, parcel, state.Details.Size, context, cancellationToken);
        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new DropAtLocker(locker, compartment, Now), context, cancellationToken: cancellationToken);
        await streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new OccupyCompartment(compartment, parcel, Now), context, cancellationToken: cancellationToken);
        await devices.EnqueueAsync(locker, new LockerLink.CommandBody.OpenForDeposit(compartment, parcel.Value), TimeSpan.FromMinutes(10), cancellationToken);
        return new CompartmentAnswer(parcel.Value, locker.Value, compartment);
    }

    public async Task PickUpAsync(ParcelId parcel, CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        var outcome = await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new PickUp(courier, Now), context, cancellationToken: cancellationToken);
        foreach (var picked in outcome.Events.OfType<ParcelPickedUp>())
        {
            if (picked is { FromLocker: { } locker, FromCompartment: { } number })
            {
                // The board opens the door for the courier (queued until the board is back, if it is offline).
                await devices.EnqueueAsync(locker, new LockerLink.CommandBody.OpenForPickup(number, parcel.Value), TimeSpan.FromMinutes(10), cancellationToken);
                await FreeCompartmentAsync(locker, number, parcel, context, cancellationToken);
            }
        }

        await (rounds?.DoneAsync(parcel, Domain.Rounds.TaskKind.PickUp, courier, context, cancellationToken) ?? Task.CompletedTask);
    }

    /// <summary>
    /// A courier deposits a parcel in a locker (its destination, or the one it was redirected to): the locker
    /// reserves a compartment, a pickup code is issued and queued for the recipient with the deposit, and the
    /// compartment is marked occupied.
    /// </summary>
    public async Task<CompartmentAnswer> DepositAsync(ParcelId parcel, CourierId courier, LockerId? lockerChoice, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await CarriedByAsync(parcel, courier, cancellationToken);
        var locker = lockerChoice ?? (state.Details.Destination as Destination.ToLocker)?.Locker
            ?? throw Refusal.Conflict("parcel.not-for-a-locker", $"Parcel {state.Details.TrackingId} is not bound for a locker; say which locker to use.");
        var compartment = await ReserveAsync(locker, parcel, state.Details.Size, context, cancellationToken);
        var lockerName = await reads.LockerNameAsync(locker, cancellationToken) ?? locker.Value;
        var now = Now;
        var collectBy = now + policy.CollectWithin;
        var code = codes.Issue(parcel, state.Details.Recipient.Phone);
        try
        {
            await streams.HandleAsync(
                Deciders.Parcel,
                Deciders.Stream(parcel),
                _ => new Deposit(locker, compartment, code.Hash, collectBy, collectBy - policy.RemindBefore, collectBy, now),
                context,
                (connection, transaction, events) => events.OfType<ParcelDeposited>().Any()
                    ? outbox.EnqueueAsync(connection, transaction, "pickup-code", state.Details.Recipient, parcel.Value,
                        "Your parcel is ready / Votre colis est arrivé",
                        Messages.CodeReady(state.Details.TrackingId, lockerName, compartment, code, collectBy), cancellationToken)
                    : Task.CompletedTask,
                cancellationToken);
        }
        catch (DomainRuleViolation)
        {
            await streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new CancelReservation(parcel, Now), context, cancellationToken: cancellationToken);
            throw;
        }

        await streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new OccupyCompartment(compartment, parcel, Now), context, cancellationToken: cancellationToken);

        // The board opens the door for the courier and learns the code's verifier, so collection works offline too.
        if (await devices.VerifierAsync(locker, code.Secret, cancellationToken) is { } verifier)
        {
            await devices.EnqueueAsync(locker, new LockerLink.CommandBody.OpenForDeposit(compartment, parcel.Value), TimeSpan.FromMinutes(10), cancellationToken);
            await devices.EnqueueAsync(locker, new LockerLink.CommandBody.ProvisionCodes([new LockerLink.CodeVerifier(parcel.Value, compartment, verifier, collectBy)]), collectBy - now, cancellationToken);
        }

        await (rounds?.DoneAsync(parcel, Domain.Rounds.TaskKind.Deposit, courier, context, cancellationToken) ?? Task.CompletedTask);
        return new CompartmentAnswer(parcel.Value, locker.Value, compartment, collectBy);
    }

    public async Task DepositAtRelayAsync(ParcelId parcel, CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await CarriedByAsync(parcel, courier, cancellationToken);
        var relay = (state.Details.Destination as Destination.ToRelayShop)?.Shop
            ?? throw Refusal.Conflict("parcel.not-for-a-relay", $"Parcel {state.Details.TrackingId} is not bound for a relay shop.");
        var relayName = (await streams.LoadAsync(Deciders.Shop, Deciders.Stream(relay), cancellationToken)).State is Shop.Open open ? open.Details.Name : relay.Value;
        var now = Now;
        var collectBy = now + policy.CollectWithin;
        var code = codes.Issue(parcel, state.Details.Recipient.Phone);
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new DepositAtRelay(relay, code.Hash, collectBy, collectBy - policy.RemindBefore, collectBy, now),
            context,
            (connection, transaction, events) => events.OfType<ParcelDepositedAtRelay>().Any()
                ? outbox.EnqueueAsync(connection, transaction, "pickup-code", state.Details.Recipient, parcel.Value,
                    "Your parcel is ready / Votre colis est arrivé", Messages.CodeReadyAtRelay(state.Details.TrackingId, relayName, code, collectBy), cancellationToken)
                : Task.CompletedTask,
            cancellationToken);
        await (rounds?.DoneAsync(parcel, Domain.Rounds.TaskKind.DepositAtRelay, courier, context, cancellationToken) ?? Task.CompletedTask);
    }

    public async Task DeliverAsync(ParcelId parcel, CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new DeliverHome(courier, Now),
            context,
            (connection, transaction, events) => events.OfType<ParcelDelivered>().Any()
                ? outbox.EnqueueAsync(connection, transaction, "delivered", state.Details.Recipient, parcel.Value,
                    "Delivered / Livré", Messages.Delivered(state.Details.TrackingId), cancellationToken)
                : Task.CompletedTask,
            cancellationToken);
        await (rounds?.DoneAsync(parcel, Domain.Rounds.TaskKind.Deliver, courier, context, cancellationToken) ?? Task.CompletedTask);
    }

    /// <summary>A failed home delivery sends the parcel to the nearest locker with a free compartment that fits.</summary>
    public async Task<LockerId> FailDeliveryAsync(ParcelId parcel, CourierId courier, string? reason, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        var from = state.Details.Recipient.Address?.Location
            ?? throw Refusal.Conflict("parcel.no-address", $"Parcel {state.Details.TrackingId} has no home address to redirect from.");
        var target = Redirection.NearestLockerWithRoom(from, state.Details.Size, await reads.LockerSnapshotsAsync(cancellationToken))
            ?? throw Refusal.Conflict("locker.none-with-room", $"No locker has a free compartment for a size {state.Details.Size} parcel right now; keep it on board.");
        var why = string.IsNullOrWhiteSpace(reason) ? "recipient absent" : reason.Trim();
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new FailHomeDelivery(courier, why, target.Id, Now),
            context,
            cancellationToken: cancellationToken);
        await (rounds?.FailedAsync(parcel, courier, why, context, cancellationToken) ?? Task.CompletedTask);
        return target.Id;
    }

    public async Task ReturnAsync(ParcelId parcel, CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        await CarriedByAsync(parcel, courier, cancellationToken);
        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new ReturnToShop(Now), context, cancellationToken: cancellationToken);
        await (rounds?.DoneAsync(parcel, Domain.Rounds.TaskKind.ReturnToShop, courier, context, cancellationToken) ?? Task.CompletedTask);
    }

    private async Task<int> ReserveAsync(LockerId locker, ParcelId parcel, ParcelSize size, CommandContext context, CancellationToken cancellationToken)
    {
        var outcome = await streams.HandleAsync(
            Deciders.Locker, Deciders.Stream(locker), _ => new ReserveCompartment(parcel, size, false, Now), context, cancellationToken: cancellationToken);
        return outcome.State is Locker.Registered registered && registered.CompartmentOf(parcel) is { } compartment
            ? compartment.Number
            : throw new InvalidOperationException($"Locker {locker} reserved nothing for parcel {parcel}.");
    }

    private Task FreeCompartmentAsync(LockerId locker, int number, ParcelId parcel, CommandContext context, CancellationToken cancellationToken) =>
        streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new ReleaseCompartment(number, parcel, Now), context, cancellationToken: cancellationToken);

    public async Task<Parcel.Known> LoadKnownAsync(ParcelId parcel, CancellationToken cancellationToken)
    {
        var (state, _) = await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken);
        return state as Parcel.Known ?? throw Refusal.NotFound($"There is no parcel {parcel}.");
    }

    private async Task<Parcel.Known> CarriedByAsync(ParcelId parcel, CourierId courier, CancellationToken cancellationToken)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        if (state is Parcel.PickedUp carried && carried.Courier != courier)
        {
            throw Refusal.Forbidden($"Parcel {state.Details.TrackingId} is carried by another courier.");
        }

        return state;
    }
}
