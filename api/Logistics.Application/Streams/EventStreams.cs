using System.Security.Cryptography;
using System.Text;
using Logistics.EventStore;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Npgsql;

namespace Logistics.Application.Streams;

/// <summary>
/// Load → decide → append with the expected version. A concurrent writer makes the append fail; the command is
/// then decided again on the fresh state (deciding is pure, so that is safe), a few times, before giving up with
/// a conflict. Event ids derive from the request's Idempotency-Key when there is one, so a retried request
/// appends nothing twice.
/// </summary>
public sealed class EventStreams(PostgresEventStore store, EventSerializer serializer, TimeProvider clock)
{
    private const int Attempts = 4;

    /// <summary>Lockers' states kept between commands on this node (a locker's stream grows with every door it opens).</summary>
    public const int CachedLockers = 4_096;

    // A locker's stream holds every compartment change and door event for as long as the locker serves, so replaying it
    // for each command grows without end (the deposit's follow-up replayed hundreds of events per step in the federation
    // day). Its state as of a version is kept here, and a load reads only what was appended after that version, whoever
    // appended it on whichever node: the store stays the one truth. Lockers' streams carry no personal data, so nothing
    // an erasure must reach is kept; other streams are short and always read whole.
    private readonly BitFaster.Caching.Lru.ConcurrentLru<string, CachedState> _lockers = new(CachedLockers);

    private sealed record CachedState(object State, long Version, string? Network);

    public TimeProvider Clock => clock;

    public PostgresEventStore Store => store;

    public EventSerializer Serializer => serializer;

    public async Task<(TState State, long Version)> LoadAsync<TCommand, TEvent, TState>(
        Decider<TCommand, TEvent, TState> decider, string stream, CancellationToken cancellationToken)
    {
        var (state, version, _) = await LoadWithNetworkAsync(decider, stream, cancellationToken);
        return (state, version);
    }

    /// <summary>
    /// The network a stream belongs to (its first event's), or null for a stream with no event yet. A network's
    /// caller is answered for another network's stream exactly as for a stream that does not exist.
    /// </summary>
    public async Task<string?> NetworkOfAsync(string stream, CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand(
            "select coalesce(metadata->>'network', $2) from es_events where stream_id = $1 and version = 1");
        command.Parameters.Add(new NpgsqlParameter { Value = stream });
        command.Parameters.Add(new NpgsqlParameter { Value = Networks.NetworkIds.Default });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The network a request acts in on a stream: its actor's, or for an actor of none the stream's.</summary>
    public async Task<string> NetworkForAsync(CommandContext context, string stream, CancellationToken cancellationToken) =>
        context.Actor.Network ?? await NetworkOfAsync(stream, cancellationToken) ?? Networks.NetworkIds.Default;

    /// <summary>
    /// Whether <paramref name="actor"/> may see <paramref name="stream"/>: it exists and is of the actor's network (an
    /// actor of no network, such as a system step, sees every stream that exists).
    /// </summary>
    public async Task<bool> VisibleToAsync(Actor actor, string stream, CancellationToken cancellationToken) =>
        await NetworkOfAsync(stream, cancellationToken) is { } network && (actor.Network is null || actor.Network == network);

    private async Task<(TState State, long Version, string? Network)> LoadWithNetworkAsync<TCommand, TEvent, TState>(
        Decider<TCommand, TEvent, TState> decider, string stream, CancellationToken cancellationToken)
    {
        var cacheable = stream.StartsWith(Domain.StreamName.LockerPrefix, StringComparison.Ordinal);
        var known = cacheable && _lockers.TryGet(stream, out var cached) && cached.State is TState ? cached : null;
        if (known is not null && Networks.NetworkScope.Hides(known.Network))
        {
            return (decider.Initial, 0, known.Network);
        }

        var recorded = await store.ReadStreamAsync(stream, (known?.Version ?? 0) + 1, cancellationToken);
        var state = known is null ? decider.Initial : (TState)known.State;
        var network = known?.Network;
        if (known is null && recorded.Count > 0)
        {
            network = Networks.NetworkIds.Of(recorded[0].Metadata);
            if (Networks.NetworkScope.Hides(network))
            {
                return (state, 0, network);
            }
        }

        foreach (var e in recorded)
        {
            state = decider.Evolve(state, (TEvent)serializer.Deserialize(e));
        }

        var version = (known?.Version ?? 0) + recorded.Count;
        if (cacheable && recorded.Count > 0)
        {
            // A newer state only: two loads at once each keep what they read, the later version wins.
            _lockers.AddOrUpdate(stream, _lockers.TryGet(stream, out var other) && other.Version > version ? other : new CachedState(state!, version, network));
        }

        return (state, version, network);
    }

    /// <summary>
    /// Decides <paramref name="command"/> (built from the current state) and appends its events. Extra writes
    /// (<paramref name="alongside"/>) commit in the same transaction as the events.
    /// </summary>
    public async Task<Outcome<TEvent, TState>> HandleAsync<TCommand, TEvent, TState>(
        Decider<TCommand, TEvent, TState> decider,
        string stream,
        Func<TState, TCommand> command,
        CommandContext context,
        Func<NpgsqlConnection, NpgsqlTransaction, TEvent[], Task>? alongside = null,
        CancellationToken cancellationToken = default)
        where TEvent : notnull
    {
        var call = context.NextCall();
        using var activity = Telemetry.AppTelemetry.Source.StartActivity($"decide {typeof(TCommand).Name}");
        activity?.SetTag("logistics.stream.category", StoreTelemetry.Category(stream));
        for (var attempt = 1; ; attempt++)
        {
            var (state, version, network) = await LoadWithNetworkAsync(decider, stream, cancellationToken);
            if (IsForeign(network, context))
            {
                // Another network's stream: decided as if it did not exist, so the refusal is the one an unknown id
                // gets (nothing tells its existence), and nothing is written to it whatever the decider answers.
                activity?.SetTag("logistics.outcome", "other-network");
                var unseen = decider.Decide(command(decider.Initial), decider.Initial);
                throw unseen.Length == 0
                    ? Refusals.Refusal.NotFound("Not found.")
                    : Refusals.Refusal.NotFound($"There is no {StoreTelemetry.Category(stream)} '{stream[(stream.IndexOf('-') + 1)..]}'.");
            }

            var events = decider.Decide(command(state), state);
            activity?.SetTag("logistics.attempt", attempt);
            if (events.Length == 0)
            {
                activity?.SetTag("logistics.outcome", "nothing-to-record");
                return new Outcome<TEvent, TState>(events, state, version);
            }

            var data = ToEventData(events, stream, call, network, context);
            try
            {
                if (alongside is null)
                {
                    // Nothing else to write: the one-call append, no explicit transaction.
                    var appended = await store.AppendAsync(stream, version, data, cancellationToken);
                    return new Outcome<TEvent, TState>(events, events.Aggregate(state, decider.Evolve), appended.NextExpectedVersion);
                }

                AppendResult result;
                await using (var connection = await store.DataSource.OpenConnectionAsync(cancellationToken))
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
                {
                    result = await PostgresEventStore.AppendAsync(connection, transaction, stream, version, data, cancellationToken);
                    if (!result.WasDuplicate)
                    {
                        await alongside(connection, transaction, events);
                    }

                    await transaction.CommitAsync(cancellationToken);
                }

                store.NotifyAppended();
                var after = events.Aggregate(state, decider.Evolve);
                return new Outcome<TEvent, TState>(events, after, result.NextExpectedVersion);
            }
            catch (WrongExpectedVersionException)
            {
                // Someone wrote first: decide again on what they wrote. The stream is then read whole (should the kept
                // state ever be ahead of the store, say after a restore, it is never trusted twice).
                _lockers.TryRemove(stream, out _);
                if (attempt >= Attempts)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Decides <paramref name="command"/> on another stream's current state and appends its events in a transaction
    /// already open (a command's <c>alongside</c> writes), so both streams change together or neither does. A stream
    /// written meanwhile fails the transaction with <see cref="WrongExpectedVersionException"/>, which the outer
    /// <see cref="HandleAsync"/> answers by deciding again.
    /// </summary>
    public async Task<TEvent[]> HandleWithinAsync<TCommand, TEvent, TState>(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Decider<TCommand, TEvent, TState> decider,
        string stream,
        Func<TState, TCommand> command,
        CommandContext context,
        CancellationToken cancellationToken = default)
        where TEvent : notnull
    {
        var call = context.NextCall();
        var (state, version, network) = await LoadWithNetworkAsync(decider, stream, cancellationToken);
        if (IsForeign(network, context))
        {
            throw Refusals.Refusal.NotFound("Not found.");
        }

        var events = decider.Decide(command(state), state);
        if (events.Length == 0)
        {
            return events;
        }

        await PostgresEventStore.AppendAsync(connection, transaction, stream, version, ToEventData(events, stream, call, network, context), cancellationToken);
        return events;
    }

    /// <summary>Whether a stream of <paramref name="network"/> is another network's than the request's, or one hidden from it.</summary>
    private static bool IsForeign(string? network, CommandContext context) =>
        network is not null && ((context.Actor.Network is { } own && own != network) || Networks.NetworkScope.Hides(network));

    /// <summary>The events to append, with the request's metadata and ids (stable ones when it has an Idempotency-Key).</summary>
    private EventData[] ToEventData<TEvent>(TEvent[] events, string stream, int call, string? network, CommandContext context)
        where TEvent : notnull
    {
        var metadata = new EventMetadata(
            clock.GetUtcNow(), context.Actor.Kind, context.Actor.Id, context.CorrelationId, context.CausationId, Telemetry.AppTelemetry.CurrentTraceParent(),
            network ?? context.Actor.Network ?? Networks.NetworkIds.Default);
        return events.Select((e, i) => serializer.ToEventData(e, metadata, context.EventId(stream, call, i))).ToArray();
    }
}

/// <summary>What a command produced and the stream's state after it.</summary>
public sealed record Outcome<TEvent, TState>(TEvent[] Events, TState State, long Version);

/// <summary>
/// One request's identity: who acts, its correlation id, and its idempotency key if it has one; for a step that
/// follows an event, that event (its cause).
/// </summary>
public sealed class CommandContext(Actor actor, string? idempotencyKey = null, Guid? correlationId = null, Guid? causationId = null)
{
    private int _calls;

    /// <summary>
    /// The context of a step a process manager takes after <paramref name="cause"/>: same correlation, the cause as
    /// causation, and ids derived from the cause's id and the step, so taking the step again appends nothing twice.
    /// </summary>
    public static CommandContext FollowingFrom(EventStore.RecordedEvent cause, string process, string step) =>
        new(new Actor(Roles.System, process, Networks.NetworkIds.Of(cause.Metadata)), $"{process}:{step}:{cause.EventId:N}", cause.Metadata.CorrelationId, cause.EventId);

    public Guid? CausationId { get; } = causationId;

    /// <summary>The same request acting in one network (a job bound to none, doing one network's part of its work).</summary>
    public CommandContext InNetwork(string network) => new(Actor with { Network = network }, IdempotencyKey, CorrelationId, CausationId);

    public Actor Actor { get; } = actor;

    public Guid CorrelationId { get; } = correlationId ?? Guid.NewGuid();

    public string? IdempotencyKey { get; } = idempotencyKey;

    internal int NextCall() => Interlocked.Increment(ref _calls);

    /// <summary>
    /// An id for something this request creates: derived from the Idempotency-Key when there is one, so a retry
    /// (even one made after the stored answer was purged, or after a crash before it was stored) names the same thing.
    /// </summary>
    public string NewId(string purpose)
    {
        if (IdempotencyKey is null)
        {
            return Guid.CreateVersion7().ToString("N");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Actor.Kind}|{Actor.Id}|{IdempotencyKey}|new|{purpose}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>A stable id for the i-th event of the n-th append of this request, or a fresh one.</summary>
    internal Guid EventId(string stream, int call, int index)
    {
        if (IdempotencyKey is null)
        {
            return Guid.CreateVersion7();
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Actor.Kind}|{Actor.Id}|{IdempotencyKey}|{stream}|{call}|{index}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16));
    }
}
