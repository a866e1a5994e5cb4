using Logistics.Application.Lockers;
using Logistics.Application.Notifications;
using Logistics.Application.ProcessManagers;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.Domain.Shops;

namespace Logistics.Application.Parcels;

/// <summary>
/// What shops, couriers and customers do to parcels: each request decides on the parcel's stream and answers. Where
/// the answer needs a compartment's number (a deposit, a drop) the locker reserves one first (<see cref="Compartments"/>
/// decides, so two couriers never get the same one). Everything that follows on other streams and queues — the
/// compartment occupied or freed, the door opened, the board's codes, the round marked — is done by the process
/// managers (<see cref="LockerFollowUp"/>, <c>RoundProgress</c>) from the parcel's events, so a crash after the
/// parcel's event loses nothing and a crash before it leaves at most a reservation that the repair gives back.
/// </summary>
public sealed partial class ParcelActions(
    EventStreams streams, ParcelQueries parcels, LockerQueries lockers, CodeFailures failures, PickupCodes codes, Outbox outbox, ParcelPolicy policy, Compartments compartments, LockerDevices devices, FaultInjection faults,
    PlanningQueries planning, CourierAssignments assignments, DeliveryProofs proofs, SharedCodes shared, HomeBoxes.HomeBoxes homeBoxes)
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
            _ => new RegisterParcel(parcel, tracking, shop, recipient, size, destination, Now) { Reference = string.IsNullOrWhiteSpace(request.Reference) ? null : request.Reference.Trim() },
            context,
            cancellationToken: cancellationToken);
        return new RegisteredParcel(parcel.Value, tracking, $"/track/{tracking}");
    }

    public async Task CancelAsync(ParcelId parcel, ShopId shop, string? reason, CommandContext context, CancellationToken cancellationToken = default)
    {
        new Validation().MaxLength(reason, "reason", InputLimits.Reason).ThrowIfAny();
        await OfShopAsync(parcel, shop, cancellationToken);
        await streams.HandleAsync(
            Deciders.Parcel, Deciders.Stream(parcel), _ => new Cancel(shop, string.IsNullOrWhiteSpace(reason) ? "cancelled by the shop" : reason.Trim(), Now), context, cancellationToken: cancellationToken);
    }

    /// <summary>The shop puts a parcel in a locker for a courier to take: the locker answers which compartment.</summary>
    public async Task<CompartmentAnswer> DropAsync(ParcelId parcel, ShopId shop, LockerId locker, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await OfShopAsync(parcel, shop, cancellationToken);
        var compartment = await compartments.ReserveAsync(locker, parcel, state.Details.Size, context, cancellationToken);
        faults.At(FaultInjection.DropAfterReserve);
        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new DropAtLocker(locker, compartment, Now), context, cancellationToken: cancellationToken);
        return new CompartmentAnswer(parcel.Value, locker.Value, compartment);
    }

    /// <summary>
    /// A courier takes a parcel: at its shop's counter, or out of a locker (dropped there by its shop, or not collected
    /// in time), which opens a door, so only for the courier whose round holds it or whom an operator assigned it.
    /// </summary>
    public async Task PickUpAsync(ParcelId parcel, CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await CarriedByAsync(parcel, courier, cancellationToken);
        if (state is Parcel.DroppedAtLocker or Parcel.Expired { Point: CollectionPoint.InLocker }
            && !await planning.InRoundOfAsync(parcel, courier, cancellationToken)
            && !await assignments.IsAssignedAsync(parcel, courier, cancellationToken))
        {
            throw new Refusal(
                "parcel.not-in-your-round",
                RefusalKind.Forbidden,
                "Not in your round",
                $"Parcel {state.Details.TrackingId} lies in a locker for the courier whose round holds it; an operator can assign it to you.");
        }

        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new PickUp(courier, Now), context, cancellationToken: cancellationToken);
    }

    /// <summary>An operator assigns a parcel waiting in a locker to a courier, who may then take it out.</summary>
    public async Task AssignAsync(ParcelId parcel, CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        if (state is not (Parcel.DroppedAtLocker or Parcel.Expired or Parcel.Registered))
        {
            throw Refusal.Conflict("parcel.not-to-take", $"Parcel {state.Details.TrackingId} is not waiting for a courier.");
        }

        if ((await streams.LoadAsync(Deciders.Courier, Deciders.Stream(courier), cancellationToken)).State is not (Domain.Couriers.Courier.OffShift or Domain.Couriers.Courier.OnShift))
        {
            throw Refusal.Invalid("courierId", "validation.courier-unknown", "There is no such courier in the network.");
        }

        await assignments.AssignAsync(parcel, courier, $"{context.Actor.Kind}:{context.Actor.Id}", Now, cancellationToken);
    }

    /// <summary>
    /// A courier deposits a parcel in a locker (its destination, or the one it was redirected to): the locker
    /// reserves a compartment, a pickup code is issued and queued for the recipient with the deposit, and the
    /// compartment is marked occupied.
    /// </summary>
    public async Task<CompartmentAnswer> DepositAsync(ParcelId parcel, CourierId courier, LockerId? lockerChoice, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await CarriedByAsync(parcel, courier, cancellationToken);
        if (state.Details.Destination is Destination.ToHomeBox box)
        {
            return await DepositInHomeBoxAsync(state, courier, box.Box, lockerChoice, context, cancellationToken);
        }

        if (state is Parcel.AwaitingCollection { Point: CollectionPoint.InLocker placed } deposited)
        {
            // Already deposited: by this courier, a repeat that opens nothing; by another, not theirs to touch.
            return deposited.DepositedBy == courier && (lockerChoice is null || lockerChoice == placed.Locker)
                ? new CompartmentAnswer(parcel.Value, placed.Locker.Value, placed.Compartment, deposited.CollectBy)
                : throw NotYours();
        }

        var locker = lockerChoice ?? (state.Details.Destination as Destination.ToLocker)?.Locker
            ?? throw Refusal.Conflict("parcel.not-for-a-locker", $"Parcel {state.Details.TrackingId} is not bound for a locker; say which locker to use.");
        var compartment = await compartments.ReserveAsync(locker, parcel, state.Details.Size, context, cancellationToken);
        faults.At(FaultInjection.DepositAfterReserve);
        var lockerName = await lockers.NameAsync(locker, cancellationToken) ?? locker.Value;
        var now = Now;
        var collectBy = now + policy.CollectWithin;
        var deposit = (string hash, string? verifier) => new Deposit(locker, compartment, hash, collectBy, collectBy - policy.RemindBefore, collectBy, now, verifier);
        var recipientKey = codes.RecipientKey(state.Details.Recipient.Phone);
        await using var turn = recipientKey is null ? null : await shared.TurnAsync(locker, recipientKey, cancellationToken);
        try
        {
            // Refused before any other parcel's code is replaced (the decider is pure: this appends nothing).
            Deciders.Parcel.Decide(deposit("-", null), state);
            var others = recipientKey is null ? [] : await shared.WaitingForAsync(locker, recipientKey, now, cancellationToken);
            var code = codes.Issue(parcel, state.Details.Recipient.Phone);
            var verifier = await devices.VerifierAsync(locker, code.Secret, cancellationToken) is { } v ? Convert.ToBase64String(v) : null;
            var shareId = Guid.CreateVersion7().ToString("N");
            var members = new List<(ParcelId Parcel, string CodeHash)> { (parcel, code.Hash) };
            var listed = new List<SharedParcel>();
            // The recipient's other parcels take the new code in the deposit's own transaction (fresh event ids: a
            // retry issues yet another code, and must re-key them with it), and the deposit's message tells them about
            // all of them: a deposit that fails leaves their code as it was, never replaced by one nobody was sent.
            var rekeying = new CommandContext(context.Actor, null, context.CorrelationId, context.CausationId);
            foreach (var other in others)
            {
                members.Add((other.Parcel, codes.HashFor(other.Parcel, code)));
                listed.Add(new SharedParcel(
                    await ShopNameAsync(other.State.Details.Shop, cancellationToken), other.State.Details.TrackingId, ((CollectionPoint.InLocker)other.State.Point).Compartment, other.State.CollectBy));
            }

            listed.Insert(0, new SharedParcel(await ShopNameAsync(state.Details.Shop, cancellationToken), state.Details.TrackingId, compartment, collectBy));
            var text = others.Count == 0
                ? Messages.CodeReady(state.Details.TrackingId, lockerName, compartment, code, collectBy)
                : Messages.CodeReadyShared(state.Details.TrackingId, lockerName, listed, code);
            await streams.HandleAsync(
                Deciders.Parcel,
                Deciders.Stream(parcel),
                _ => deposit(code.Hash, verifier),
                context,
                async (connection, transaction, events) =>
                {
                    if (events.OfType<ParcelDeposited>().Any())
                    {
                        foreach (var (other, (_, hash)) in others.Zip(members.Skip(1)))
                        {
                            await streams.HandleWithinAsync(
                                connection, transaction, Deciders.Parcel, Deciders.Stream(other.Parcel), _ => new ReissueCode(hash, other.State.Code.ExpiresAt, now, verifier), rekeying, cancellationToken);
                        }

                        faults.At(FaultInjection.DepositAfterRekey);
                        await outbox.EnqueueAsync(connection, transaction, "pickup-code", state.Details.Recipient, parcel.Value, "Your parcel is ready / Votre colis est arrivé", text, cancellationToken);
                        if (recipientKey is not null)
                        {
                            await SharedCodes.RecordAsync(connection, transaction, shareId, locker, recipientKey, members, cancellationToken);
                        }
                    }
                },
                cancellationToken);
        }
        catch (DomainRuleViolation)
        {
            await compartments.CancelReservationAsync(locker, parcel, context, cancellationToken, "the deposit was refused");
            throw;
        }

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
    }

    /// <summary>
    /// The courier hands the parcel over at home, with the <paramref name="proof"/> they kept (checked by
    /// <see cref="DeliveryProofs.Check"/>): it is sealed for the recipient in the delivery's own transaction.
    /// </summary>
    public async Task DeliverAsync(ParcelId parcel, CourierId courier, CommandContext context, DeliveryProofs.Parts? proof = null, CancellationToken cancellationToken = default)
    {
        var state = await CarriedByAsync(parcel, courier, cancellationToken);
        var kept = proof?.Describe(context.NewId($"proof:{parcel}"));
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new DeliverHome(courier, Now) { Proof = kept },
            context,
            async (connection, transaction, events) =>
            {
                if (events.OfType<ParcelDelivered>().SingleOrDefault() is not { } delivered)
                {
                    return;
                }

                await outbox.EnqueueAsync(connection, transaction, "delivered", state.Details.Recipient, parcel.Value,
                    "Delivered / Livré", Messages.Delivered(state.Details.TrackingId), cancellationToken);
                if (proof is not null && kept is not null)
                {
                    await proofs.StoreAsync(connection, transaction, kept.Id, parcel, state.Details.Recipient.Person, DeliveryProofs.Delivered, proof, delivered.At, cancellationToken);
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// A failed home delivery sends the parcel to the nearest locker with a free compartment that fits: that locker,
    /// and the reason as recorded (sealed for the recipient).
    /// </summary>
    public async Task<(LockerId Locker, PersonalText Reason)> FailDeliveryAsync(
        ParcelId parcel, CourierId courier, string? reason, CommandContext context, DeliveryProofs.Parts? proof = null, CancellationToken cancellationToken = default)
    {
        new Validation().MaxLength(reason, "reason", InputLimits.Reason).ThrowIfAny();
        var state = await CarriedByAsync(parcel, courier, cancellationToken);
        var from = state.Details.Recipient.Address?.Location
            ?? throw Refusal.Conflict("parcel.no-address", $"Parcel {state.Details.TrackingId} has no home address to redirect from.");
        var target = Redirection.NearestLockerWithRoom(from, state.Details.Size, await lockers.SnapshotsAsync(await streams.NetworkForAsync(context, Deciders.Stream(parcel), cancellationToken), cancellationToken))
            ?? throw Refusal.Conflict("locker.none-with-room", $"No locker has a free compartment for a size {state.Details.Size} parcel right now; keep it on board.");
        var why = string.IsNullOrWhiteSpace(reason) ? "recipient absent" : reason.Trim();
        var kept = proof?.Describe(context.NewId($"proof:{parcel}"));
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new FailHomeDelivery(courier, why, target.Id, Now) { Proof = kept },
            context,
            proof is null || kept is null
                ? null
                : (connection, transaction, events) => events.OfType<HomeDeliveryFailed>().SingleOrDefault() is { } failed
                    ? proofs.StoreAsync(connection, transaction, kept.Id, parcel, state.Details.Recipient.Person, DeliveryProofs.Failed, proof, failed.At, cancellationToken)
                    : Task.CompletedTask,
            cancellationToken);
        return (target.Id, new PersonalText(state.Details.Recipient.Person, why));
    }

    public async Task ReturnAsync(ParcelId parcel, CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        await CarriedByAsync(parcel, courier, cancellationToken);
        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new ReturnToShop(Now), context, cancellationToken: cancellationToken);
    }

    public async Task<Parcel.Known> LoadKnownAsync(ParcelId parcel, CancellationToken cancellationToken)
    {
        var (state, _) = await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken);
        return state as Parcel.Known ?? throw Refusal.NotFound($"There is no parcel {parcel}.");
    }

    /// <summary>
    /// The parcel a courier acts on: one waiting for a courier (at its shop, dropped in a locker, expired), or one
    /// this courier holds or handed over. Anything else is refused without a word about the parcel (which shop,
    /// which tracking number, where it is): it is another courier's business.
    /// </summary>
    private async Task<Parcel.Known> CarriedByAsync(ParcelId parcel, CourierId courier, CancellationToken cancellationToken)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        return state switch
        {
            Parcel.Registered or Parcel.DroppedAtLocker or Parcel.Expired => state,
            // Its shop cancelled it, or its recipient collected it: the decision says so to the courier at the stop.
            Parcel.Cancelled or Parcel.Collected => state,
            Parcel.PickedUp p when p.Courier == courier => state,
            Parcel.AwaitingCollection a when a.DepositedBy == courier => state,
            Parcel.InHomeBox h when h.DepositedBy == courier => state,
            Parcel.Delivered d when d.Courier == courier => state,
            Parcel.Returned r when r.Courier == courier => state,
            _ => throw NotYours(),
        };
    }

    /// <summary>The parcel a shop acts on: its own; another shop's parcel does not exist for it.</summary>
    private async Task<Parcel.Known> OfShopAsync(ParcelId parcel, ShopId shop, CancellationToken cancellationToken)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        return state.Details.Shop == shop ? state : throw Refusal.NotFound($"There is no parcel {parcel}.");
    }

    private async Task<string> ShopNameAsync(ShopId shop, CancellationToken cancellationToken) =>
        Shop.DetailsOf((await streams.LoadAsync(Deciders.Shop, Deciders.Stream(shop), cancellationToken)).State)?.Name ?? "";

    private static Refusal NotYours() => new(
        "parcel.not-yours",
        RefusalKind.Forbidden,
        "Not your parcel",
        "This parcel is not in your hands: another courier carries it, or its journey with you is over.");
}
