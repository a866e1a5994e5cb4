using System.Globalization;
using Logistics.Application.Refusals;
using Logistics.Domain;
using Logistics.EventStore;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Logistics.EventStore.Subscriptions;
using Npgsql;

namespace Logistics.Application.ProcessManagers;

/// <summary>
/// Runs one process manager over the global log from its checkpoint (in <c>es_checkpoints</c>, as projections).
/// Unlike a projection its steps write to other streams and queues, so no transaction is held while it works (an
/// open transaction would hold every reader of the global log back): events are handled one by one, then the
/// checkpoint moves; a crash in between handles them again, which idempotent steps make harmless.
/// A step the domain refuses for good is recorded in <c>process_failures</c> and passed; any other failure stops
/// the run at that event, to be tried again (after <see cref="MaxAttempts"/> tries it is recorded and passed, so one
/// poisoned event cannot stop a workflow for every other parcel).
/// </summary>
public sealed class ProcessManagerRunner(PostgresEventStore store, EventSerializer serializer, IProcessManager manager, TimeProvider clock, ILogger logger)
{
    public const int MaxAttempts = 5;
    private const int BatchSize = 200;
    // Tries of each event that failed and must be tried again (several at once when the manager handles partitions).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> _failing = new();

    // Per stored event type: whether the manager follows it (an unknown type is not followed).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _follows = new(StringComparer.Ordinal);

    public IProcessManager Manager => manager;

    public string CheckpointName => "pm:" + manager.Name;

    public async Task EnsureCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand(
            "insert into es_checkpoints (name, tx_id, seq) values ($1, '0'::xid8, 0) on conflict (name) do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = CheckpointName });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Handles what is readable after the checkpoint, batch after batch; returns how many events it went past.
    /// Throws the failure of a step that must be tried again (the checkpoint stays before that event).
    /// </summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var checkpoint = await CheckpointAsync(cancellationToken);
            var batch = await store.ReadAllAsync(checkpoint, BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }

            var done = checkpoint;
            if (manager.Partitions > 1)
            {
                var (handled, failure) = await HandlePartitionsAsync(batch, cancellationToken);
                done = handled == 0 ? checkpoint : batch[handled - 1].Position;
                total += handled;
                if (done != checkpoint)
                {
                    await MoveCheckpointAsync(done, CancellationToken.None);
                }

                failure?.Throw();
                continue;
            }

            try
            {
                foreach (var recorded in batch)
                {
                    if (Follows(recorded.EventType))
                    {
                        await HandleAsync(new EventEnvelope(recorded, serializer.Deserialize(recorded)), cancellationToken);
                    }

                    done = recorded.Position;
                    total++;
                }
            }
            finally
            {
                if (done != checkpoint)
                {
                    await MoveCheckpointAsync(done, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>
    /// A batch's events grouped by stream, the streams handled side by side (at most <see cref="IProcessManager.Partitions"/>
    /// at once), each stream's events in order; a stream stops at its first failure. Answers how many events, from the
    /// batch's start, are all handled (the checkpoint moves past them) and the first failure: the events after it that
    /// other streams handled are handled again on the next try, which idempotent steps make harmless.
    /// </summary>
    private async Task<(int Handled, System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure)> HandlePartitionsAsync(
        IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<(int Index, Exception Error)>();
        var streams = batch.Select((recorded, index) => (Recorded: recorded, Index: index)).GroupBy(x => x.Recorded.StreamId, StringComparer.Ordinal);
        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = manager.Partitions, CancellationToken = cancellationToken }, async (stream, token) =>
        {
            foreach (var (recorded, index) in stream)
            {
                try
                {
                    if (Follows(recorded.EventType))
                    {
                        await HandleAsync(new EventEnvelope(recorded, serializer.Deserialize(recorded)), token);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add((index, e));
                    return;
                }
            }
        });
        if (failures.IsEmpty)
        {
            return (batch.Count, null);
        }

        var first = failures.MinBy(f => f.Index);
        return (first.Index, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first.Error));
    }

    private bool Follows(string eventType) =>
        _follows.GetOrAdd(eventType, type => serializer.TypeOf(type) is { } eventClass && manager.Follows(eventClass));

    private async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        // The reaction continues the trace of the request or job that recorded the event.
        using var activity = Telemetry.AppTelemetry.StartReaction(manager.Name, e.Recorded.Metadata.TraceParent, e.Recorded.EventType);
        try
        {
            await manager.HandleAsync(e, cancellationToken);
            _failing.TryRemove(e.Recorded.EventId, out _);
        }
        catch (Exception refused) when (refused is DomainRuleViolation or Refusal)
        {
            // The domain refuses this step for good (the world moved on: a parcel collected meanwhile, a compartment
            // taken out of service): recorded for the operator, and the workflow goes on with the next event.
            await RecordFailureAsync(e, refused, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            var attempts = _failing.AddOrUpdate(e.Recorded.EventId, 1, (_, n) => n + 1);
            if (attempts < MaxAttempts)
            {
                throw;
            }

            logger.LogError(failure, "Process {Process} gave up on event {Event} ({Type}) after {Attempts} attempts", manager.Name, e.Recorded.EventId, e.Recorded.EventType, attempts);
            await RecordFailureAsync(e, failure, cancellationToken);
            _failing.TryRemove(e.Recorded.EventId, out _);
        }
    }

    private async Task RecordFailureAsync(EventEnvelope e, Exception failure, CancellationToken cancellationToken)
    {
        logger.LogWarning("Process {Process} could not follow {Type} of {Stream}: {Reason}", manager.Name, e.Recorded.EventType, e.Recorded.StreamId, failure.Message);
        await using var command = store.DataSource.CreateCommand(
            """
            insert into process_failures (process, event_id, stream_id, event_type, reason, failed_at) values ($1, $2, $3, $4, $5, $6)
            on conflict (process, event_id) do update set reason = excluded.reason, failed_at = excluded.failed_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = manager.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Recorded.EventId });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Recorded.StreamId });
        command.Parameters.Add(new NpgsqlParameter { Value = e.Recorded.EventType });
        command.Parameters.Add(new NpgsqlParameter { Value = failure.Message });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<GlobalPosition> CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand("select tx_id, seq from es_checkpoints where name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = CheckpointName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : throw new InvalidOperationException($"No checkpoint for {CheckpointName}: call EnsureCheckpointAsync first.");
    }

    private async Task MoveCheckpointAsync(GlobalPosition position, CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand(
            "update es_checkpoints set tx_id = $2::xid8, seq = $3, updated_at = now() where name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = CheckpointName });
        command.Parameters.Add(new NpgsqlParameter { Value = position.Transaction.ToString(CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter { Value = position.Sequence });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
