using Logistics.Application.Notifications;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;

namespace Logistics.Application.Parcels;

public sealed partial class ParcelActions
{
    /// <summary>
    /// The customer (or the locker's keypad, through its controller) types the code. Wrong codes count against the
    /// parcel (blocked at the 5th) and against the locker (at most 20 an hour, then everyone waits).
    /// </summary>
    public async Task<CompartmentAnswer> CollectAsync(string trackingId, string? typed, CommandContext context, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            throw Refusal.Invalid("code", "validation.code-missing", "Type the pickup code you received.");
        }

        var (parcel, waiting) = await AwaitingCollectionAsync(trackingId, cancellationToken);

        var locker = (waiting.Point as CollectionPoint.InLocker)?.Locker;
        if (await failures.CountSinceAsync(locker, parcel, Now - TimeSpan.FromHours(1), cancellationToken) >= PickupCodes.MaxFailuresPerLockerPerHour)
        {
            throw new Refusal(
                "pickup-code.throttled",
                RefusalKind.TooManyRequests,
                "Too many wrong codes",
                "Too many wrong codes were typed here in the last hour. Please try again later, or contact the shop.")
            {
                RetryAfter = TimeSpan.FromMinutes(15),
            };
        }

        if (!codes.Matches(parcel, waiting.Code.Hash, typed))
        {
            await failures.RecordAsync(locker, parcel, Now, cancellationToken);
            var outcome = await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new RecordWrongCode(Now), context, cancellationToken: cancellationToken);
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

        await streams.HandleAsync(Deciders.Parcel, Deciders.Stream(parcel), _ => new Collect(Now), context, cancellationToken: cancellationToken);
        return waiting.Point is CollectionPoint.InLocker inLocker
            ? new CompartmentAnswer(parcel.Value, inLocker.Locker.Value, inLocker.Compartment)
            : new CompartmentAnswer(parcel.Value, "", 0);
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
    private async Task<(ParcelId Parcel, Parcel.AwaitingCollection Waiting)> AwaitingCollectionAsync(string trackingId, CancellationToken cancellationToken)
    {
        var parcel = await parcels.IdByTrackingAsync(trackingId, cancellationToken) ?? throw Refusal.NotFound($"No parcel has tracking number {trackingId}.");
        return await LoadKnownAsync(parcel, cancellationToken) is Parcel.AwaitingCollection waiting
            ? (parcel, waiting)
            : throw Refusal.Conflict("parcel.not-awaiting-collection", $"Parcel {trackingId} is not waiting for collection.");
    }

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
