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
/// replaced by the core's receipt time and flagged the same way; the event is applied. The facts a batch of events is
/// screened against are read once for the batch (<see cref="FactsAsync"/>); screening itself reads nothing.
/// </summary>
public sealed class BoardScope(EventStreams streams, NpgsqlDataSource dataSource)
{
    /// <summary>How far ahead of the core a board's clock may be (transmission, small drift).</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>How old a reported fact may be: longer than a board is ever offline with parcels to report.</summary>
    public static readonly TimeSpan PastLimit = TimeSpan.FromDays(30);

    /// <summary>
    /// The facts <paramref name="events"/> may name, read at once: the parcels' streams (for their deposits, and their
    /// state for a collection) and which of the named commands were queued for this locker.
    /// </summary>
    public async Task<BoardFacts> FactsAsync(string device, Locker locker, IEnumerable<DeviceEvent> events, CancellationToken cancellationToken)
    {
        var parcels = new Dictionary<string, ParcelFacts>(StringComparer.Ordinal);
        var commands = new HashSet<string>(StringComparer.Ordinal);
        bool? homeBox = null;
        foreach (var e in events)
        {
            if (e.Payload is Payload.DoorOpened { Authorised: false } or Payload.ForcedOpen)
            {
                // A door the core did not unlock: at a home box, its owner opening it with their own lock, taking
                // out the parcel that lies there (read with the batch, so the collection can be decided).
                homeBox ??= (await streams.LoadAsync(Deciders.HomeBox, Deciders.HomeBoxStream(new LockerId(device)), cancellationToken)).State is not Domain.HomeBoxes.HomeBox.NotProvisioned;
                if (homeBox is true && OccupantOf(locker, e.Payload) is { } occupant && !parcels.ContainsKey(occupant.Value))
                {
                    parcels[occupant.Value] = await ParcelAsync(occupant, cancellationToken);
                }
            }

            var (_, parcel, command) = Names(e.Payload);
            if (parcel is { Length: > 0 and <= 200 } && !parcels.ContainsKey(parcel))
            {
                parcels[parcel] = await ParcelAsync(new ParcelId(parcel), cancellationToken);
            }

            if (command is not null)
            {
                commands.Add(command);
            }
        }

        return new BoardFacts(locker, parcels, commands.Count == 0 ? commands : await QueuedHereAsync(device, commands, cancellationToken)) { HomeBox = homeBox is true };
    }

    private static ParcelId? OccupantOf(Locker locker, DevicePayload payload) =>
        Names(payload).Compartment is { } number && locker is Locker.Registered registered
            && registered.Compartments.TryGetValue(number, out var compartment) && compartment.Status is CompartmentStatus.Occupied occupied
            ? occupied.Parcel
            : null;

    /// <summary>
    /// The event to apply (its times corrected when out of step), or null when it is refused; why, in
    /// <paramref name="findings"/>.
    /// </summary>
    public static DeviceEvent? Screen(string device, DeviceEvent e, BoardFacts facts, DateTimeOffset now, List<SecurityFinding> findings)
    {
        if (Refusal(device, e, facts) is var (kind, detail))
        {
            findings.Add(new SecurityFinding(kind, e.Seq, detail));
            return null;
        }

        var corrected = e;
        if (e.ClockSynchronised && OutOfStep(e.WallClock, now) is { } wallKind)
        {
            findings.Add(new SecurityFinding(wallKind, e.Seq, $"{e.Payload.GetType().Name} stamped {e.WallClock:O}, received {now:O}"));
            corrected = corrected with { WallClock = now, ClockSynchronised = false };
        }

        switch (e.Payload)
        {
            case Payload.CodeAccepted c when OutOfStep(c.CollectedAt, now) is { } collectedKind:
                findings.Add(new SecurityFinding(collectedKind, e.Seq, $"collection of {c.ParcelId} stamped {c.CollectedAt:O}, received {now:O}"));
                corrected = corrected with { Payload = c with { CollectedAt = now } };
                break;
            case Payload.UnlockOutcomeUnknown u when OutOfStep(u.IntendedAt, now) is { } intendedKind:
                findings.Add(new SecurityFinding(intendedKind, e.Seq, $"unlock intent stamped {u.IntendedAt:O}, received {now:O}"));
                corrected = corrected with { Payload = u with { IntendedAt = now } };
                break;
        }

        return corrected;
    }

    /// <summary>Why the event is not the board's to tell, or null when it is.</summary>
    public static (string Kind, string Detail)? Refusal(string device, DeviceEvent e, BoardFacts facts)
    {
        if (e.DeviceId != device)
        {
            return (SecurityEventKinds.ForeignDevice, $"an event of {e.DeviceId} sent by {device}");
        }

        var (compartment, parcel, commandId) = Names(e.Payload);
        if (compartment is { } number && !(facts.Locker is Locker.Registered registered && registered.Compartments.ContainsKey(number)))
        {
            return (SecurityEventKinds.ForeignCompartment, $"{e.Payload.GetType().Name} of compartment {number}, which locker {device} does not have");
        }

        if (parcel is not null && !DepositedHere(new LockerId(device), compartment, parcel, facts))
        {
            return (SecurityEventKinds.ForeignParcel, $"{e.Payload.GetType().Name} of parcel {Shorten(parcel)}, never deposited in compartment {compartment} of locker {device}");
        }

        if (commandId is not null && !facts.QueuedCommands.Contains(commandId))
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

    private static string? OutOfStep(DateTimeOffset at, DateTimeOffset now) =>
        at > now + FutureSkew ? SecurityEventKinds.ClockAhead : at < now - PastLimit ? SecurityEventKinds.ClockBehind : null;

    private static bool DepositedHere(LockerId locker, int? compartment, string parcel, BoardFacts facts) =>
        facts.Parcels.TryGetValue(parcel, out var known) && known.Events.Any(e => e switch
        {
            ParcelDeposited d => d.Locker == locker && (compartment is null || d.Compartment == compartment),
            ParcelDepositedInHomeBox d => d.Box == locker && (compartment is null || d.Compartment == compartment),
            ParcelDroppedAtLocker d => d.Locker == locker && (compartment is null || d.Compartment == compartment),
            _ => false,
        });

    private async Task<ParcelFacts> ParcelAsync(ParcelId parcel, CancellationToken cancellationToken)
    {
        var recorded = await streams.Store.ReadStreamAsync(Deciders.Stream(parcel), 1, cancellationToken);
        var events = recorded.Select(e => (ParcelEvent)streams.Serializer.Deserialize(e)).ToList();
        return new ParcelFacts(events, events.Aggregate(Deciders.Parcel.Initial, Deciders.Parcel.Evolve), recorded.Count);
    }

    private async Task<HashSet<string>> QueuedHereAsync(string locker, HashSet<string> commandIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select command_id from locker_commands where locker_id = $1 and command_id = any($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        command.Parameters.Add(new NpgsqlParameter { Value = commandIds.ToArray() });
        var queued = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            queued.Add(reader.GetString(0));
        }

        return queued;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

/// <summary>What one batch of a board's events is screened against, read before the batch's transaction.</summary>
public sealed record BoardFacts(Locker Locker, IReadOnlyDictionary<string, ParcelFacts> Parcels, IReadOnlySet<string> QueuedCommands)
{
    /// <summary>The locker is a resident's home box: a door the core did not unlock is its owner's own lock, not a break-in.</summary>
    public bool HomeBox { get; init; }
}

/// <summary>A parcel's events as read for a batch, its state and its version (a collection is decided on them).</summary>
public sealed record ParcelFacts(IReadOnlyList<ParcelEvent> Events, Parcel State, long Version);

/// <summary>One security event to record: why an event of <paramref name="Seq"/> was refused or corrected.</summary>
public sealed record SecurityFinding(string Kind, long? Seq, string Detail);
