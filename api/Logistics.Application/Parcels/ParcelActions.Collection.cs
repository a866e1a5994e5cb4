using Logistics.Application.Lockers;
using Logistics.Application.Notifications;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.LockerLink;

namespace Logistics.Application.Parcels;

public sealed partial class ParcelActions
{
    /// <summary>How long the board has to open a door for a code checked online (the recipient stands in front of it).</summary>
    public static readonly TimeSpan CollectionDoorLifetime = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The recipient types the code on the tracking page, in front of the locker. Wrong codes count against the parcel
    /// (its code blocked at the 5th) and against the client (<see cref="CodeFailures.MaxPerClientPerHour"/>); at a
    /// locker under attack (<see cref="CodeFailures.MaxPerLockerPerHour"/> wrong codes in the hour) a client who already
    /// failed there waits, while others may still try: nobody locks the other recipients out. A right code asks the
    /// locker's board to open the door; the door's opening is the collection (a door that never opens collects
    /// nothing, and the code stays valid at the keypad). At a relay shop, the code is the collection.
    /// </summary>
    public async Task<CollectAnswer> CollectAsync(string trackingId, string? typed, string client, CommandContext context, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            throw Refusal.Invalid("code", "validation.code-missing", "Type the pickup code you received.");
        }

        new Validation().MaxLength(typed, "code", InputLimits.PickupCode).ThrowIfAny();

        var parcel = await parcels.IdByTrackingAsync(trackingId, cancellationToken) ?? throw NoSuchParcel(trackingId);
        var (known, _) = await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken);
        var locker = ((known as Parcel.AwaitingCollection)?.Point as CollectionPoint.InLocker)?.Locker;
        await using var attempt = await failures.BeginAsync(parcel, locker, client, Now, cancellationToken);
        if (attempt.Throttled)
        {
            throw new Refusal(
                "pickup-code.throttled",
                RefusalKind.TooManyRequests,
                "Too many wrong codes",
                "Too many wrong codes were typed from here lately. Please try again later, or contact the shop.")
            {
                RetryAfter = TimeSpan.FromMinutes(15),
            };
        }

        // Read again under the attempt's lock: parallel attempts on this parcel take their turn.
        var (_, waiting) = await AwaitingCollectionAsync(parcel, trackingId, cancellationToken);
        if (waiting.Code.Blocked)
        {
            throw Refusal.Conflict("parcel.code-blocked", "The pickup code was blocked after too many wrong attempts. The shop or the operator can send you a new one.");
        }

        if (!codes.Matches(parcel, waiting.Code.Hash, typed))
        {
            var outcome = await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new RecordWrongCode(Now), context, cancellationToken: cancellationToken);
            await attempt.RecordFailureAsync(Now, cancellationToken);
            var left = outcome.State is Parcel.AwaitingCollection after ? ParcelDecider.MaxWrongAttempts - after.Code.WrongAttempts : 0;
            throw new Refusal(
                left > 0 ? "pickup-code.wrong" : "pickup-code.blocked",
                RefusalKind.Invalid,
                "Wrong code",
                left > 0
                    ? $"That code is not right. {left} attempt(s) left before the code is blocked."
                    : "That code is not right, and the code is now blocked. The shop or the operator can send you a new one.")
            {
                Values = new Dictionary<string, object> { ["left"] = left },
            };
        }

        if (waiting.Point is not CollectionPoint.InLocker inLocker)
        {
            await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new Collect(Now), context, cancellationToken: cancellationToken);
            return new CollectAnswer(parcel.Value, null, null, null, CollectAnswer.Collected);
        }

        if ((await streams.LoadAsync(Deciders.Locker, Deciders.Stream(inLocker.Locker), cancellationToken)).State is not Locker.Registered { Online: true })
        {
            throw Refusal.Conflict("locker.offline", "The locker is not connected right now: type your code on the locker's keypad, it works without the network.");
        }

        var door = await devices.EnqueueAsync(
            inLocker.Locker, new CommandBody.OpenForCollection(inLocker.Compartment, parcel.Value), Now + CollectionDoorLifetime, LockerDevices.CollectionCommandId(parcel, context.NewId("collection-door")), cancellationToken)
            ?? throw Refusal.Conflict("locker.no-board", "This locker has no controller connected to the network: type your code on its keypad.");

        // A code shared by the recipient's parcels there opens each of their doors too (each door's opening is its
        // own parcel's collection).
        var opening = new List<int> { inLocker.Compartment };
        foreach (var other in await shared.SharingWithAsync(parcel, waiting, Now, cancellationToken))
        {
            if (other.State.Point is CollectionPoint.InLocker there && codes.Matches(other.Parcel, other.State.Code.Hash, typed))
            {
                await devices.EnqueueAsync(
                    there.Locker, new CommandBody.OpenForCollection(there.Compartment, other.Parcel.Value), Now + CollectionDoorLifetime,
                    LockerDevices.CollectionCommandId(other.Parcel, context.NewId($"collection-door:{other.Parcel.Value}")), cancellationToken);
                opening.Add(there.Compartment);
            }
        }

        return new CollectAnswer(parcel.Value, inLocker.Locker.Value, inLocker.Compartment, door, CollectAnswer.Opening) { Compartments = opening };
    }

    /// <summary>The customer asks for more time, once.</summary>
    public async Task<DateTimeOffset> ExtendAsync(string trackingId, CommandContext context, CancellationToken cancellationToken = default)
    {
        var (parcel, waiting) = await AwaitingCollectionAsync(trackingId, cancellationToken);
        var current = waiting.CollectBy;
        var outcome = await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new ExtendDeadline(current + policy.Extension, Now), context, cancellationToken: cancellationToken);
        return outcome.State is Parcel.AwaitingCollection after ? after.CollectBy : current;
    }

    /// <summary>The parcel a customer names by its tracking number, which must be waiting for them.</summary>
    private async Task<(ParcelId Parcel, Parcel.AwaitingCollection Waiting)> AwaitingCollectionAsync(string trackingId, CancellationToken cancellationToken) =>
        await AwaitingCollectionAsync(await parcels.IdByTrackingAsync(trackingId, cancellationToken) ?? throw NoSuchParcel(trackingId), trackingId, cancellationToken);

    private async Task<(ParcelId Parcel, Parcel.AwaitingCollection Waiting)> AwaitingCollectionAsync(ParcelId parcel, string trackingId, CancellationToken cancellationToken) =>
        await LoadKnownAsync(parcel, cancellationToken) is Parcel.AwaitingCollection waiting
            ? (parcel, waiting)
            : throw Refusal.Conflict("parcel.not-awaiting-collection", $"Parcel {trackingId} is not waiting for collection.");

    private static Refusal NoSuchParcel(string trackingId) => Refusal.NotFound($"No parcel has tracking number {trackingId}.");

    /// <summary>Time-driven: reminds the recipient that the parcel waits.</summary>
    public async Task RemindAsync(ParcelId parcel, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new SendReminder(Now),
            context,
            (connection, transaction, events) => events.OfType<ReminderSent>().FirstOrDefault() is { } sent
                ? outbox.EnqueueAsync(connection, transaction, "reminder", state.Details.Recipient, parcel.Value,
                    "Reminder / Rappel", Messages.Reminder(state.Details.TrackingId, sent.CollectBy), cancellationToken)
                : Task.CompletedTask,
            cancellationToken);
    }

    /// <summary>Time-driven: the deadline passed; the parcel waits for a courier to take it back to its shop.</summary>
    public async Task ExpireAsync(ParcelId parcel, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new Expire(Now),
            context,
            (connection, transaction, events) => events.OfType<ParcelExpired>().Any()
                ? outbox.EnqueueAsync(connection, transaction, "expired", state.Details.Recipient, parcel.Value,
                    "Parcel going back / Colis retourné", Messages.Expired(state.Details.TrackingId), cancellationToken)
                : Task.CompletedTask,
            cancellationToken);
    }

    /// <summary>The operator issues a new code (the old one was blocked or lost).</summary>
    public async Task ReissueCodeAsync(ParcelId parcel, CommandContext context, CancellationToken cancellationToken = default)
    {
        var state = await LoadKnownAsync(parcel, cancellationToken);
        var waiting = state as Parcel.AwaitingCollection
            ?? throw Refusal.Conflict("parcel.not-awaiting-collection", $"Parcel {state.Details.TrackingId} is not waiting for collection.");
        var code = codes.Issue(parcel, state.Details.Recipient.Phone);
        var place = waiting.Point switch
        {
            CollectionPoint.InLocker l => await lockers.NameAsync(l.Locker, cancellationToken) ?? l.Locker.Value,
            CollectionPoint.AtRelayShop s => s.Shop.Value,
            _ => "",
        };
        var verifier = waiting.Point is CollectionPoint.InLocker at && await devices.VerifierAsync(at.Locker, code.Secret, cancellationToken) is { } v
            ? Convert.ToBase64String(v)
            : null;
        await streams.HandleAsync(
            Deciders.Parcel,
            Deciders.Stream(parcel),
            _ => new ReissueCode(code.Hash, waiting.CollectBy, Now, verifier),
            context,
            (connection, transaction, events) => events.OfType<PickupCodeReissued>().Any()
                ? outbox.EnqueueAsync(connection, transaction, "pickup-code", state.Details.Recipient, parcel.Value,
                    "New pickup code / Nouveau code", Messages.CodeReady(state.Details.TrackingId, place, (waiting.Point as CollectionPoint.InLocker)?.Compartment ?? 0, code, waiting.CollectBy), cancellationToken)
                : Task.CompletedTask,
            cancellationToken);
    }
}
