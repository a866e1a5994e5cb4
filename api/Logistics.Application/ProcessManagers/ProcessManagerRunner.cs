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
    private (Guid Event, int Attempts) _failing;

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
            try
            {
                foreach (var recorded in batch)
                {
                    if (serializer.IsKnown(recorded.EventType))
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

    private async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        // The reaction continues the trace of the request or job that recorded the event.
        using var activity = Telemetry.AppTelemetry.StartReaction(manager.Name, e.Recorded.Metadata.TraceParent, e.Recorded.EventType);
        try
        {
            await manager.HandleAsync(e, cancellationToken);
            _failing = default;
        }
        catch (Exception refused) when (refused is DomainRuleViolation or Refusal)
        {
            // The domain refuses this step for good (the world moved on: a parcel collected meanwhile, a compartment
            // taken out of service): recorded for the operator, and the workflow goes on with the next event.
            await RecordFailureAsync(e, refused, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            _failing = _failing.Event == e.Recorded.EventId ? (e.Recorded.EventId, _failing.Attempts + 1) : (e.Recorded.EventId, 1);
            if (_failing.Attempts < MaxAttempts)
            {
                throw;
            }

            logger.LogError(failure, "Process {Process} gave up on event {Event} ({Type}) after {Attempts} attempts", manager.Name, e.Recorded.EventId, e.Recorded.EventType, _failing.Attempts);
            await RecordFailureAsync(e, failure, cancellationToken);
            _failing = default;
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
