using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Logistics.EventStore.Postgres;

/// <summary>
/// The event store on PostgreSQL. An append is one call to <c>es_append</c>; the global log is read in
/// (transaction id, sequence) order below the oldest running transaction, so no committed event is ever skipped.
/// Readers are woken in-process after an append and poll otherwise: a NOTIFY inside the append transaction
/// would serialise commits.
/// </summary>
public sealed partial class PostgresEventStore(NpgsqlDataSource dataSource) : IEventStore
{
    internal const string Columns =
        "event_id, stream_id, version, tx_id, seq, event_type, schema_version, data::text, metadata::text, recorded_at";

    private readonly AppendSignal _signal = new();

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public async Task<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var result = await AppendAsync(connection, null, streamId, expectedVersion, events, cancellationToken);
        if (!result.WasDuplicate)
        {
            _signal.Pulse();
        }

        return result;
    }

    /// <summary>
    /// Appends inside the caller's transaction, so that other writes (an outbox message) commit or roll back with
    /// the events. Call <see cref="NotifyAppended"/> after the commit to wake this node's readers at once.
    /// </summary>
    public static async Task<AppendResult> AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, long expectedVersion,
        IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        using var activity = StoreTelemetry.StartAppend(streamId, events?.Count ?? 0);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await AppendUntimedAsync(connection, transaction, streamId, expectedVersion, events!, cancellationToken);
            outcome = result.WasDuplicate ? "duplicate" : "appended";
            return result;
        }
        catch (WrongExpectedVersionException)
        {
            outcome = "conflict";
            throw;
        }
        finally
        {
            StoreTelemetry.Appended(streamId, events?.Count ?? 0, outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started), activity);
        }
    }

    private static async Task<AppendResult> AppendUntimedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, long expectedVersion,
        IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        // The happy path is one plain statement (a new stream created, or a stream at the expected version moved on, and
        // the events inserted); anything else (no expected version, a conflict, a retry of a committed append) goes
        // through es_append, which tells them apart under the stream's lock.
        if (expectedVersion >= 0)
        {
            var appended = await TryAppendAtVersionAsync(connection, transaction, streamId, expectedVersion, events, cancellationToken);
            if (appended is not null)
            {
                return appended;
            }
        }

        await using var command = new NpgsqlCommand(
            "select o_version, o_tx, o_seq, o_duplicate from es_append($1, $2, $3, $4, $5, $6, $7)", connection, transaction);
        AddAppendParameters(command.Parameters, streamId, expectedVersion, events);

        var positions = new List<GlobalPosition>(events.Count);
        long lastVersion = 0;
        var duplicate = false;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lastVersion = reader.GetInt64(0);
                positions.Add(new GlobalPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(2)));
                duplicate = reader.GetBoolean(3);
            }
        }
        catch (PostgresException e) when (e.SqlState == "LGWEV")
        {
            throw new WrongExpectedVersionException(
                streamId, expectedVersion, long.Parse(e.Hint ?? "-1", System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (PostgresException e) when (e.SqlState is "LGDUP" or PostgresErrorCodes.UniqueViolation)
        {
            throw new EventIdReuseException($"Some event ids of this append were stored before in another batch: {e.MessageText}");
        }

        if (duplicate && positions.Count != events.Count)
        {
            throw new EventIdReuseException("This append repeats an earlier one's first event id but not its other events.");
        }

        return new AppendResult(lastVersion, positions, duplicate);
    }

    /// <summary>Wakes this node's readers after a commit made through the transactional append.</summary>
    public void NotifyAppended() => _signal.Pulse();

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(
            $"select {Columns} from es_events where stream_id = $1 and version >= $2 order by version");
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        command.Parameters.Add(new NpgsqlParameter { Value = fromVersion });
        return await ReadEventsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(
        GlobalPosition after, int maxCount, CancellationToken cancellationToken = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, null, after, maxCount, cancellationToken);
    }

    public Task NextAppend() => _signal.Next();

    /// <summary>Reads the global log on a given connection (a projection reads and writes in one transaction).</summary>
    public static async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, GlobalPosition after, int maxCount,
        CancellationToken cancellationToken)
    {
        // Rows of transactions that may still commit have tx_id >= xmin; everything below it is final.
        await using var command = new NpgsqlCommand(
            $"""
            select {Columns} from es_events
            where (tx_id, seq) > ($1::xid8, $2) and tx_id < pg_snapshot_xmin(pg_current_snapshot())
            order by tx_id, seq
            limit $3
            """,
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = after.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter { Value = after.Sequence });
        command.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        return await ReadEventsAsync(command, cancellationToken);
    }

    /// <summary>
    /// The last position of the log that no running transaction can still write before, or <see cref="GlobalPosition.Start"/>
    /// when the log is empty: what a rebuild reads up to.
    /// </summary>
    public static async Task<GlobalPosition> EndAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select tx_id, seq from es_events where tx_id < pg_snapshot_xmin(pg_current_snapshot()) order by tx_id desc, seq desc limit 1", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : GlobalPosition.Start;
    }

    /// <summary>
    /// A page of the log after <paramref name="after"/> up to <paramref name="until"/> (a position from
    /// <see cref="EndAsync"/>: every event up to it is final), of the given event types only (null: all), each event
    /// keeping its data and metadata as the UTF-8 the server sent. A rebuild's read: the events no builder reads are
    /// neither sent nor parsed.
    /// </summary>
    public static async Task<IReadOnlyList<RecordedEvent>> ReadRangeAsync(
        NpgsqlConnection connection, GlobalPosition after, GlobalPosition until, string[]? eventTypes, int maxCount, CancellationToken cancellationToken)
    {
        var types = eventTypes is null ? "" : " and event_type = any($6)";
        await using var command = new NpgsqlCommand(
            $"select {Columns} from es_events where (tx_id, seq) > ($1::xid8, $2) and (tx_id, seq) <= ($3::xid8, $4){types} order by tx_id, seq limit $5",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = after.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter { Value = after.Sequence });
        command.Parameters.Add(new NpgsqlParameter { Value = until.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter { Value = until.Sequence });
        command.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        if (eventTypes is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = eventTypes });
        }

        return await ReadEventsAsync(command, cancellationToken, utf8: true);
    }

    internal static void AddAppendParameters(
        NpgsqlParameterCollection parameters, string streamId, long expectedVersion, IReadOnlyList<EventData> events)
    {
        parameters.Add(new NpgsqlParameter { Value = streamId });
        parameters.Add(new NpgsqlParameter { Value = expectedVersion });
        AddEventArrays(parameters, events);
    }

    /// <summary>The events' ids, types, schema versions, data and metadata as five arrays.</summary>
    private static void AddEventArrays(NpgsqlParameterCollection parameters, IReadOnlyList<EventData> events)
    {
        var count = events.Count;
        var ids = new Guid[count];
        var types = new string[count];
        var versions = new int[count];
        var data = new string[count];
        var metadata = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = events[i].EventId;
            types[i] = events[i].EventType;
            versions[i] = events[i].SchemaVersion;
            data[i] = events[i].Data;

            // A batch's events mostly share one metadata object: serialise it once.
            metadata[i] = i > 0 && ReferenceEquals(events[i].Metadata, events[i - 1].Metadata)
                ? metadata[i - 1]
                : JsonSerializer.Serialize(events[i].Metadata, MetadataJsonContext.Default.EventMetadata);
        }

        parameters.Add(new NpgsqlParameter { Value = ids });
        parameters.Add(new NpgsqlParameter { Value = types });
        parameters.Add(new NpgsqlParameter { Value = versions });
        parameters.Add(new NpgsqlParameter { Value = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        parameters.Add(new NpgsqlParameter { Value = metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
    }

    private static async Task<IReadOnlyList<RecordedEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken, bool utf8 = false)
    {
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (eventId, streamId, version) = (reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2));
            var position = new GlobalPosition(reader.GetFieldValue<ulong>(3), reader.GetInt64(4));
            var (eventType, schemaVersion) = (reader.GetString(5), reader.GetInt32(6));
            events.Add(utf8
                ? new RecordedEvent(
                    eventId, streamId, version, position, eventType, schemaVersion,
                    reader.GetFieldValue<byte[]>(7), reader.GetFieldValue<byte[]>(8), reader.GetFieldValue<DateTimeOffset>(9))
                : new RecordedEvent(
                    eventId, streamId, version, position, eventType, schemaVersion,
                    reader.GetString(7),
                    JsonSerializer.Deserialize(reader.GetString(8), MetadataJsonContext.Default.EventMetadata)
                        ?? throw new InvalidDataException("An event without metadata."),
                    reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return events;
    }
}
