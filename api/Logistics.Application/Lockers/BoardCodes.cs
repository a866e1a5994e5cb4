using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.EventStore.Subscriptions;
using Logistics.LockerLink;

namespace Logistics.Application.Lockers;

/// <summary>
/// What the core decides about a pickup code reaches the board, queued from <see cref="LockerFollowUp"/>: a code
/// blocked after too many wrong attempts is revoked on the board, an extended deadline provisions the code again
/// with its new expiry (unless it is blocked), and every revocation lives on the queue as long as the code it
/// revokes could still open the door, and never less than <see cref="LockerFollowUp.RevocationLifetime"/> (a board
/// offline for a week still gets it when it comes back).
/// </summary>
public sealed class BoardCodes(LockerDevices devices, EventStreams streams)
{
    public async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        switch (e.Event)
        {
            case PickupCodeBlocked b:
                if (await StateAsync(b.ParcelId, cancellationToken) is Parcel.AwaitingCollection { Point: CollectionPoint.InLocker blockedIn })
                {
                    await RevokeAsync(e, blockedIn.Locker, b.ParcelId, b.At, cancellationToken);
                }

                break;

            case CollectionDeadlineExtended x:
                if (await StateAsync(x.ParcelId, cancellationToken) is Parcel.AwaitingCollection { Point: CollectionPoint.InLocker at, Code.Blocked: false } waiting
                    && await LockerVerifierAsync(x.ParcelId, cancellationToken) is { } verifier)
                {
                    var codes = new CommandBody.ProvisionCodes([new CodeVerifier(x.ParcelId.Value, at.Compartment, Convert.FromBase64String(verifier), waiting.Code.ExpiresAt)]);
                    await devices.EnqueueAsync(at.Locker, codes, waiting.Code.ExpiresAt, $"{e.Recorded.EventId:N}-codes", cancellationToken);
                }

                break;
        }
    }

    /// <summary>Queues the code's revocation for the board, until no version of the code could still open the door.</summary>
    public async Task RevokeAsync(EventEnvelope cause, LockerId locker, ParcelId parcel, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var latest = await LatestCodeExpiryAsync(parcel, cancellationToken);
        var expiresAt = Later(at + LockerFollowUp.RevocationLifetime, latest + LockerFollowUp.RevocationLifetime);
        await devices.EnqueueAsync(locker, new CommandBody.RevokeCode(parcel.Value), expiresAt, $"{cause.Recorded.EventId:N}-revoke", cancellationToken);
    }

    private async Task<Parcel> StateAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        (await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken)).State;

    // Of the parcel's history, the events about its code only: the others (its registration's sealed recipient above
    // all) are not decoded, which on every collection cost an unsealing, and a key's look-up when it was not cached.
    private static readonly HashSet<Type> CodeEvents = [typeof(ParcelDeposited), typeof(PickupCodeReissued), typeof(CollectionDeadlineExtended)];

    private async Task<IEnumerable<object>> HistoryAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        (await streams.Store.ReadStreamAsync(Deciders.Stream(parcel), 1, cancellationToken))
            .Where(e => streams.Serializer.TypeOf(e.EventType) is { } type && CodeEvents.Contains(type)).Select(streams.Serializer.Deserialize);

    // The verifier the board was last given for the current code (the core keeps no code in clear).
    private async Task<string?> LockerVerifierAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        (await HistoryAsync(parcel, cancellationToken)).Select(e => e switch
        {
            ParcelDeposited d => d.LockerCodeVerifier,
            PickupCodeReissued r => r.LockerCodeVerifier,
            _ => null,
        }).LastOrDefault(v => v is not null);

    private async Task<DateTimeOffset> LatestCodeExpiryAsync(ParcelId parcel, CancellationToken cancellationToken) =>
        (await HistoryAsync(parcel, cancellationToken)).Select(e => e switch
        {
            ParcelDeposited d => d.CodeExpiresAt,
            PickupCodeReissued r => r.CodeExpiresAt,
            CollectionDeadlineExtended x => x.NewCollectBy,
            _ => DateTimeOffset.MinValue,
        }).DefaultIfEmpty(DateTimeOffset.MinValue).Max();

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
