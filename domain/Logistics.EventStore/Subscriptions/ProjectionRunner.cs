using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Npgsql;

namespace Logistics.EventStore.Subscriptions;

/// <summary>
/// Runs one projection: reads the global log after its durable checkpoint, applies a batch and moves the
/// checkpoint in one transaction. The checkpoint row is locked for the batch, so two nodes never apply the
/// same batch; the second one skips and tries later.
/// </summary>
public sealed class ProjectionRunner(
    PostgresEventStore store, EventSerializer serializer, IProjection projection, ProjectionRunnerOptions? options = null)
{
    private readonly ProjectionRunnerOptions _options = options ?? new ProjectionRunnerOptions();

    public IProjection Projection => projection;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var context = new ProjectionContext(connection, transaction);
        await projection.EnsureSchemaAsync(context, cancellationToken);
        await context.ExecuteAsync(
            "insert into es_checkpoints (name, tx_id, seq) values ($1, '0'::xid8, 0) on conflict (name) do nothing",
            cancellationToken,
            projection.Name);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Applies one batch. Returns how many events it applied (0: caught up, or another node holds it).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var context = new ProjectionContext(connection, transaction);

        GlobalPosition checkpoint;
        await using (var read = context.Command(
            "select tx_id, seq from es_checkpoints where name = $1 for update skip locked", projection.Name))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return 0;
            }

            checkpoint = new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
        }

        var batch = await PostgresEventStore.ReadAllAsync(connection, transaction, checkpoint, _options.BatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var envelopes = new List<EventEnvelope>(batch.Count);
        foreach (var recorded in batch)
        {
            if (serializer.IsKnown(recorded.EventType))
            {
                envelopes.Add(new EventEnvelope(recorded, serializer.Deserialize(recorded)));
            }
        }

        if (envelopes.Count > 0)
        {
            await projection.ApplyAsync(context, envelopes, cancellationToken);
        }

        var last = batch[^1].Position;
        await context.ExecuteAsync(
            "update es_checkpoints set tx_id = $2::xid8, seq = $3, updated_at = now() where name = $1",
            cancellationToken,
            projection.Name,
            last.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture),
            last.Sequence);
        await transaction.CommitAsync(cancellationToken);
        return batch.Count;
    }

    /// <summary>Applies batches until none is left (what a test or a rebuild waits for).</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        int applied;
        while ((applied = await RunOnceAsync(cancellationToken)) > 0)
        {
            total += applied;
        }

        return total;
    }

    /// <summary>Empties the read model, resets the checkpoint to 0 and replays the whole log.</summary>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await using (var connection = await store.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var context = new ProjectionContext(connection, transaction);
            await context.ExecuteAsync("select 1 from es_checkpoints where name = $1 for update", cancellationToken, projection.Name);
            await projection.ResetAsync(context, cancellationToken);
            await context.ExecuteAsync(
                "update es_checkpoints set tx_id = '0'::xid8, seq = 0, updated_at = now() where name = $1", cancellationToken, projection.Name);
            await transaction.CommitAsync(cancellationToken);
        }

        return await CatchUpAsync(cancellationToken);
    }

    /// <summary>Runs until cancelled: batches while there is work, then waits for appends or the poll interval.</summary>
    public async Task RunAsync(Action<Exception>? onError, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(cancellationToken) == 0)
                {
                    await store.WaitForAppendsAsync(_options.PollInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or InvalidDataException)
            {
                onError?.Invoke(e);
                await Task.Delay(_options.RetryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}

public sealed record ProjectionRunnerOptions
{
    public int BatchSize { get; init; } = 500;

    /// <summary>How often to look for appends made by other nodes (this node's appends wake it at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
