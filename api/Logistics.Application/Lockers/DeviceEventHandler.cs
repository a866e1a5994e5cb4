using Logistics.Application.Parcels;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.EventStore;
using Logistics.EventStore.Postgres;
using Logistics.LockerLink;
using Npgsql;
using Payload = Logistics.LockerLink.DevicePayload;

namespace Logistics.Application.Lockers;

/// <summary>
/// Stores and applies a batch of one board's frames in one transaction: under the lock of the board's acked seq, the
/// frames after it (gap-free; repeats are dropped) are screened (<see cref="BoardScope"/>), turned into domain
/// commands decided in order on the locker's state (its events appended once for the batch), collections, keypad
/// failures and command results, then stored with the acked seq moved to the last. A replayed event is therefore
/// never applied twice, and a batch that fails leaves nothing behind. Event ids still derive from (device, seq).
/// </summary>
public sealed class DeviceEventHandler(EventStreams streams, BoardScope scope, SecurityEvents security, LockerDevices devices, ILogger<DeviceEventHandler> logger)
{
    // A busy locker's stream is written by the board's batches and by the follow-up of its parcels (several at once,
    // on any node): a batch decided again a few times in a row must not end the board's session.
    private const int Attempts = 10;

    /// <summary>
    /// Applies <paramref name="frames"/> (in the order received) for <paramref name="device"/>; <paramref name="locker"/>
    /// keeps the locker's state between the batches of a session.
    /// </summary>
    public async Task<BatchOutcome> ApplyAsync(string device, IReadOnlyList<DeviceFrame> frames, LockerState locker, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryApplyAsync(device, frames, locker, cancellationToken);
            }
            catch (WrongExpectedVersionException) when (attempt < Attempts)
            {
                // Another writer moved the locker (or a parcel) on: read it again and decide the batch again, after a
                // short, growing and jittered pause so two writers that keep meeting fall out of step.
                locker.Forget();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10) * attempt), cancellationToken);
            }
        }
    }

    private async Task<BatchOutcome> TryApplyAsync(string device, IReadOnlyList<DeviceFrame> frames, LockerState locker, CancellationToken cancellationToken)
    {
        // Everything read is read before the transaction, so a session holds one connection at a time (300 boards
        // reconnecting at once must not wait on the pool for a second one while holding the first).
        var stream = Deciders.Stream(new LockerId(device));
        await locker.CatchUpAsync(streams, stream, cancellationToken);
        var readable = frames.Where(f => f.Event is not null).Select(f => f.Event!);
        var facts = await scope.FactsAsync(device, locker.State, readable, cancellationToken);

        await using var connection = await streams.Store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var acked = await LockerDevices.LockAckedSeqAsync(connection, transaction, device, cancellationToken)
            ?? throw new InvalidOperationException($"Locker {device} has no device row.");
        var batch = new Batch(streams, devices, logger, device, stream, locker, facts, connection, transaction);
        long? gap = null;
        var acknowledge = false;
        foreach (var frame in frames)
        {
            if (frame.Seq is not { } seq)
            {
                // Neither an event nor anything with a seq: nothing the board waits an ack for.
                batch.Findings.Add(new SecurityFinding(SecurityEventKinds.MalformedFrame, null, $"{frame.Kind} frame after the hello"));
                continue;
            }

            if (seq > acked + 1)
            {
                gap = seq;
                break;
            }

            acknowledge = true;
            if (seq <= acked)
            {
                // Stored before (a resend after a lost ack): acknowledged again, applied once.
                continue;
            }

            acked = seq;
            await batch.AddAsync(frame, cancellationToken);
        }

        await batch.FlushLockerAsync(cancellationToken);
        await security.RecordAsync(device, batch.Findings, connection, transaction, cancellationToken);
        await devices.StoreEventsAsync(connection, transaction, device, batch.Stored, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        locker.Commit(batch.State, batch.Version);
        if (batch.Appended)
        {
            streams.Store.NotifyAppended();
        }

        return new BatchOutcome(acked, acknowledge, gap);
    }

    /// <summary>One attempt at a batch, inside its transaction.</summary>
    private sealed class Batch(
        EventStreams streams,
        LockerDevices devices,
        ILogger logger,
        string device,
        string stream,
        LockerState locker,
        BoardFacts facts,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction)
    {
        private readonly List<EventData> _lockerEvents = [];
        private readonly Dictionary<string, ParcelFacts> _parcels = new(facts.Parcels, StringComparer.Ordinal);
        private readonly Actor _actor = new(Roles.Locker, device);

        public Locker State { get; private set; } = locker.State;

        public long Version { get; private set; } = locker.Version;

        public bool Appended { get; private set; }

        public List<SecurityFinding> Findings { get; } = [];

        public List<StoredDeviceEvent> Stored { get; } = [];

        public async Task AddAsync(DeviceFrame frame, CancellationToken cancellationToken)
        {
            if (frame.Event is not { } e)
            {
                Findings.Add(new SecurityFinding(SecurityEventKinds.UnknownFrame, frame.Seq, Shorten(frame.Text)));
                Stored.Add(StoredDeviceEvent.Unknown(frame.Seq!.Value, frame.Text));
                return;
            }

            // Kept as the board sent it, whether it is applied, corrected or refused.
            Stored.Add(StoredDeviceEvent.Of(e));
            var now = streams.Clock.GetUtcNow();
            if (BoardScope.Screen(device, e, facts, now, Findings) is { } screened)
            {
                await ApplyAsync(screened, now, cancellationToken);
            }
        }

        private async Task ApplyAsync(DeviceEvent e, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var context = new CommandContext(_actor, idempotencyKey: $"device:{device}:{e.Seq}");
            // When the board's clock is synchronised, its wall clock says when the thing really happened (offline included).
            var at = e.ClockSynchronised ? e.WallClock : now;
            try
            {
                switch (e.Payload)
                {
                    case Payload.DoorOpened d:
                        Locker(new ReportDoorOpened(d.Compartment, d.Authorised || facts.HomeBox, at), context);
                        if (d is { Authorised: true, Cause: { Kind: UnlockKind.Collection, ParcelId: { } collected } })
                        {
                            // A door opened for its recipient (a code checked online, or at the keypad): the parcel is collected.
                            await CollectAsync(new ParcelId(collected), at, context, cancellationToken);
                        }
                        else if (!d.Authorised && facts.HomeBox && InHomeBox(d.Compartment) is { } taken)
                        {
                            // The owner opened their home box with its own lock: the parcel in it is theirs, taken out.
                            await CollectAsync(taken, at, context, cancellationToken);
                        }

                        break;
                    case Payload.DoorClosed d:
                        Locker(new ReportDoorClosed(d.Compartment, at), context);
                        break;
                    case Payload.Jammed j:
                        Locker(new RaiseAlarm(AlarmKind.LockStuck, j.Compartment, at), context);
                        break;
                    case Payload.DoorLeftOpen d:
                        Locker(new RaiseAlarm(AlarmKind.DoorLeftOpen, d.Compartment, at), context);
                        break;
                    case Payload.ForcedOpen when facts.HomeBox:
                        // Its owner's own lock (see DoorOpened): no alarm.
                        break;
                    case Payload.ForcedOpen f:
                        Locker(new RaiseAlarm(AlarmKind.ForcedOpen, f.Compartment, at), context);
                        break;
                    case Payload.CodeAccepted c:
                        // The compartment is freed and the code revoked by what follows the collection (LockerFollowUp).
                        await CollectAsync(new ParcelId(c.ParcelId), c.CollectedAt, context, cancellationToken);
                        break;
                    case Payload.CodeRejected:
                        await CodeFailures.RecordAtKeypadAsync(connection, transaction, new LockerId(device), at, cancellationToken);
                        break;
                    case Payload.CommandResult r:
                        await devices.RecordResultAsync(connection, transaction, device, r.Status, r.CommandId, r.Detail, cancellationToken);
                        break;
                    case Payload.UpdateInstalled or Payload.UpdateRefused or Payload.UpdateRolledBack:
                        await devices.RecordUpdateAsync(connection, transaction, device, e.Payload, cancellationToken);
                        break;
                    default:
                        // Pulses, latch feedback, watchdog trips and unknown outcomes are kept in locker_device_events.
                        break;
                }
            }
            catch (DomainRuleViolation refused)
            {
                // What happened at the locker happened: the domain may refuse to record it (e.g. a door of a compartment
                // that was taken out of service); keep the device event and tell the operator through the log.
                logger.LogWarning("Locker {Locker} event {Seq} ({Kind}) not applied: {Reason}", device, e.Seq, e.Payload.GetType().Name, refused.Message);
            }
        }

        /// <summary>The parcel lying in its recipient's home box behind this door, when there is one.</summary>
        private ParcelId? InHomeBox(int compartment) =>
            _parcels.Values.Select(p => p.State).OfType<Parcel.InHomeBox>().FirstOrDefault(p => p.Box.Value == device && p.Compartment == compartment)?.Details.Id;

        /// <summary>Decides a locker command on the batch's state; its events wait to be appended with the batch's others.</summary>
        private void Locker(LockerCommand command, CommandContext context)
        {
            var call = context.NextCall();
            var events = Deciders.Locker.Decide(command, State);
            if (events.Length == 0)
            {
                return;
            }

            var metadata = Metadata(context);
            _lockerEvents.AddRange(events.Select((e, i) => streams.Serializer.ToEventData(e, metadata, context.EventId(stream, call, i))));
            State = events.Aggregate(State, Deciders.Locker.Evolve);
        }

        private async Task CollectAsync(ParcelId parcel, DateTimeOffset collectedAt, CommandContext context, CancellationToken cancellationToken)
        {
            var call = context.NextCall();
            var parcelStream = Deciders.Stream(parcel);
            // Read for the batch: a collection passes the scope only when its parcel was deposited here.
            var known = _parcels[parcel.Value];

            var events = Deciders.Parcel.Decide(new Collect(streams.Clock.GetUtcNow(), collectedAt), known.State);
            if (events.Length == 0)
            {
                return;
            }

            // The locker's events so far go first, so the global log keeps the order the board told things in.
            await FlushLockerAsync(cancellationToken);
            var metadata = Metadata(context);
            var data = events.Select((e, i) => streams.Serializer.ToEventData(e, metadata, context.EventId(parcelStream, call, i))).ToArray();
            var result = await PostgresEventStore.AppendAsync(connection, transaction, parcelStream, known.Version, data, cancellationToken);
            Appended = true;
            _parcels[parcel.Value] = known with { State = events.Aggregate(known.State, Deciders.Parcel.Evolve), Version = result.NextExpectedVersion };
        }

        public async Task FlushLockerAsync(CancellationToken cancellationToken)
        {
            if (_lockerEvents.Count == 0)
            {
                return;
            }

            var result = await PostgresEventStore.AppendAsync(connection, transaction, stream, Version, _lockerEvents, cancellationToken);
            Version = result.NextExpectedVersion;
            Appended = true;
            _lockerEvents.Clear();
        }

        // The locker's network: a board's events, on its locker's stream or its parcels', are of the network its locker is.
        private EventMetadata Metadata(CommandContext context) =>
            new(streams.Clock.GetUtcNow(), context.Actor.Kind, context.Actor.Id, context.CorrelationId, context.CausationId, Network: locker.Network ?? Networks.NetworkIds.Default);

        private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
    }
}

/// <summary>
/// A frame a board sent after its hello: its seq when it has one, the event when the core can read it, and its text
/// (kept for a frame the core cannot read).
/// </summary>
public sealed record DeviceFrame(long? Seq, DeviceEvent? Event, string Text, string Kind);

/// <summary>
/// What a batch did: the highest seq now stored; whether the board is owed an ack (the batch had event frames); the
/// seq that came after a gap, when one did (the session ends: the board reconnects and resends from the welcome).
/// </summary>
public sealed record BatchOutcome(long AckedSeq, bool Acknowledge, long? Gap);

/// <summary>A session's copy of its locker's state, caught up from the stream before each batch.</summary>
public sealed class LockerState
{
    public Locker State { get; private set; } = Deciders.Locker.Initial;

    public long Version { get; private set; }

    /// <summary>The locker's network (its stream's first event's), once caught up.</summary>
    public string? Network { get; private set; }

    public async Task CatchUpAsync(EventStreams streams, string stream, CancellationToken cancellationToken)
    {
        var recorded = await streams.Store.ReadStreamAsync(stream, Version + 1, cancellationToken);
        if (Version == 0 && recorded.Count > 0)
        {
            Network = Networks.NetworkIds.Of(recorded[0].Metadata);
        }

        foreach (var e in recorded)
        {
            State = Deciders.Locker.Evolve(State, (LockerEvent)streams.Serializer.Deserialize(e));
        }

        if (recorded.Count > 0)
        {
            Version = recorded[^1].StreamVersion;
        }
    }

    internal void Commit(Locker state, long version) => (State, Version) = (state, version);

    internal void Forget() => (State, Version, Network) = (Deciders.Locker.Initial, 0, null);
}
