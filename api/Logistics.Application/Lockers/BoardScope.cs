using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.LockerLink;
using Npgsql;
using Payload = Logistics.LockerLink.DevicePayload;

namespace Logistics.Application.Lockers;

/// <summary>
/// A board speaks only for its own locker: an event may name only the device that signed the session, the locker's
/// own compartments, parcels deposited (or dropped) in that very compartment and commands the core queued for it.
/// Anything else is not applied: it is recorded as a security event (and still stored and acknowledged, so the board
/// does not resend it forever). A board's time in the future, or further back than <see cref="PastLimit"/>, is
/// replaced by the core's receipt time and flagged the same way; the event is applied.
/// </summary>
public sealed class BoardScope(EventStreams streams, NpgsqlDataSource dataSource, SecurityEvents security)
{
    /// <summary>How far ahead of the core a board's clock may be (transmission, small drift).</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>How old a reported fact may be: longer than a board is ever offline with parcels to report.</summary>
    public static readonly TimeSpan PastLimit = TimeSpan.FromDays(30);

    /// <summary>The event to apply (its times corrected when out of step), or null when it is refused.</summary>
    public async Task<DeviceEvent?> ScreenAsync(string device, DeviceEvent e, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(device, e, cancellationToken) is var (kind, detail))
        {
            await security.RecordAsync(device, kind, e.Seq, detail, cancellationToken);
            return null;
        }

        var now = streams.Clock.GetUtcNow();
        var corrected = e;
        if (e.ClockSynchronised && OutOfStep(e.WallClock, now) is { } wallKind)
        {
            await security.RecordAsync(device, wallKind, e.Seq, $"{e.Payload.GetType().Name} stamped {e.WallClock:O}, received {now:O}", cancellationToken);
            corrected = corrected with { WallClock = now, ClockSynchronised = false };
        }

        switch (e.Payload)
        {
            case Payload.CodeAccepted c when OutOfStep(c.CollectedAt, now) is { } collectedKind:
                await security.RecordAsync(device, collectedKind, e.Seq, $"collection of {c.ParcelId} stamped {c.CollectedAt:O}, received {now:O}", cancellationToken);
                corrected = corrected with { Payload = c with { CollectedAt = now } };
                break;
            case Payload.UnlockOutcomeUnknown u when OutOfStep(u.IntendedAt, now) is { } intendedKind:
                await security.RecordAsync(device, intendedKind, e.Seq, $"unlock intent stamped {u.IntendedAt:O}, received {now:O}", cancellationToken);
                corrected = corrected with { Payload = u with { IntendedAt = now } };
                break;
        }

        return corrected;
    }

    /// <summary>Why the event is not the board's to tell, or null when it is.</summary>
    public async Task<(string Kind, string Detail)?> RefusalAsync(string device, DeviceEvent e, CancellationToken cancellationToken)
    {
        if (e.DeviceId != device)
        {
            return (SecurityEventKinds.ForeignDevice, $"an event of {e.DeviceId} sent by {device}");
        }

        var (compartment, parcel, commandId) = Names(e.Payload);
        var locker = new LockerId(device);
        if (compartment is { } number && !await HasCompartmentAsync(locker, number, cancellationToken))
        {
            return (SecurityEventKinds.ForeignCompartment, $"{e.Payload.GetType().Name} of compartment {number}, which locker {device} does not have");
        }

        if (parcel is not null && !await DepositedHereAsync(locker, compartment, parcel, cancellationToken))
        {
            return (SecurityEventKinds.ForeignParcel, $"{e.Payload.GetType().Name} of parcel {Shorten(parcel)}, never deposited in compartment {compartment} of locker {device}");
        }

        if (commandId is not null && !await QueuedHereAsync(device, commandId, cancellationToken))
        {
            return (SecurityEventKinds.ForeignCommand, $"{e.Payload.GetType().Name} of command {Shorten(commandId)}, never queued for locker {device}");
        }

        return null;
    }

    /// <summary>The compartment, parcel and command an event names (each may be absent).</summary>
    public static (int? Compartment, string? Parcel, string? CommandId) Names(DevicePayload payload) => payload switch
    {
        Payload.DoorOpened p => (p.Compartment, p.Cause?.ParcelId, p.Cause?.CommandId),
        Payload.DoorClosed p => (p.Compartment, null, null),
        Payload.PulseSent p => (p.Compartment, p.Cause?.ParcelId, p.Cause?.CommandId),
        Payload.LatchReleased p => (p.Compartment, p.Cause?.ParcelId, p.Cause?.CommandId),
        Payload.Jammed p => (p.Compartment, p.Cause?.ParcelId, p.Cause?.CommandId),
        Payload.DoorLeftOpen p => (p.Compartment, null, null),
        Payload.ForcedOpen p => (p.Compartment, null, null),
        Payload.CoilWatchdogTripped p => (p.Compartment, null, null),
        Payload.UnlockOutcomeUnknown p => (p.Compartment, p.Cause?.ParcelId, p.Cause?.CommandId),
        Payload.CodeAccepted p => (p.Compartment, p.ParcelId, null),
        Payload.CommandResult p => (null, null, p.CommandId),
        _ => (null, null, null),
    };

    private async Task<bool> HasCompartmentAsync(LockerId locker, int number, CancellationToken cancellationToken) =>
        (await streams.LoadAsync(Deciders.Locker, Deciders.Stream(locker), cancellationToken)).State is Locker.Registered registered && registered.Compartments.ContainsKey(number);

    private static string? OutOfStep(DateTimeOffset at, DateTimeOffset now) =>
        at > now + FutureSkew ? SecurityEventKinds.ClockAhead : at < now - PastLimit ? SecurityEventKinds.ClockBehind : null;

    private async Task<bool> DepositedHereAsync(LockerId locker, int? compartment, string parcel, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(parcel) || parcel.Length > 200)
        {
            return false;
        }

        var recorded = await streams.Store.ReadStreamAsync(Deciders.Stream(new ParcelId(parcel)), 1, cancellationToken);
        return recorded.Select(streams.Serializer.Deserialize).Any(e => e switch
        {
            ParcelDeposited d => d.Locker == locker && (compartment is null || d.Compartment == compartment),
            ParcelDroppedAtLocker d => d.Locker == locker && (compartment is null || d.Compartment == compartment),
            _ => false,
        });
    }

    private async Task<bool> QueuedHereAsync(string locker, string commandId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select 1 from locker_commands where locker_id = $1 and command_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = commandId });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
