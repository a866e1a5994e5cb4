using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;

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

    // A node starting beside nodes at work: its "if not exists" statements lock the read model's tables before they look,
    // so PostgreSQL may pick this transaction as a deadlock's victim. It is taken again.
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) =>
        SchemaScript.RetryOnDeadlockAsync(() => EnsureSchemaOnceAsync(cancellationToken), cancellationToken);

    private async Task EnsureSchemaOnceAsync(CancellationToken cancellationToken)
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

    /// <summary>Applies one batch. Returns how many events it applied (0: nothing readable yet, or another node holds it).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default) =>
        (await RunBatchAsync(cancellationToken)).Applied;

    /// <summary>
    /// One batch; <c>Waiting</c> says that committed events lie beyond the checkpoint that are not readable yet
    /// because an older transaction is still open somewhere: they will be, shortly.
    /// </summary>
    private async Task<(int Applied, bool Waiting)> RunBatchAsync(CancellationToken cancellationToken)
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
                return (0, true);
            }

            checkpoint = new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
        }

        var batch = await PostgresEventStore.ReadAllAsync(connection, transaction, checkpoint, _options.BatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            await using var beyond = context.Command(
                "select exists (select 1 from es_events where (tx_id, seq) > ($1::xid8, $2))",
                checkpoint.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture),
                checkpoint.Sequence);
            return (0, (bool)(await beyond.ExecuteScalarAsync(cancellationToken))!);
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
            using var activity = StoreTelemetry.StartProjection(projection.Name, batch);
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
        return (batch.Count, false);
    }

    /// <summary>Applies batches until every event committed before the call is applied (what a test or a rebuild waits for).</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        while (true)
        {
            var (applied, waiting) = await RunBatchAsync(cancellationToken);
            total += applied;
            if (applied == 0 && !waiting)
            {
                return total;
            }

            if (applied == 0)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Rebuilds the read model from position 0 into shadow tables swapped in at the end with the checkpoint (see
    /// <see cref="ProjectionRebuild"/>); readers see the old model until then. Returns how many events were read.
    /// </summary>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken = default) =>
        (await new ProjectionRebuild(store, serializer, [projection]).RunAsync(cancellationToken)).Events;

    /// <summary>
    /// Runs until cancelled: batches while there is work, then waits for an append or the poll interval. When
    /// committed events are not readable yet (an older transaction still holds the snapshot back), it retries with a
    /// short, growing delay rather than sleeping a whole poll interval.
    /// </summary>
    public async Task RunAsync(Action<Exception>? onError, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        var retry = TimeSpan.FromMilliseconds(5);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var nextAppend = store.NextAppend();
                var (applied, waiting) = await RunBatchAsync(cancellationToken);
                if (applied > 0)
                {
                    retry = TimeSpan.FromMilliseconds(5);
                }
                else if (waiting)
                {
                    await Task.Delay(retry, cancellationToken);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, _options.PollInterval.Ticks));
                }
                else
                {
                    await Task.WhenAny(nextAppend, Task.Delay(_options.PollInterval, cancellationToken));
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database away, or the projection failing on an event (a bug, a poison event): this read model
                // waits at its checkpoint and tries again, longer and longer apart; the others and the host go on.
                failures++;
                onError?.Invoke(e);
                await Task.Delay(RetryDelay(failures), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            failures = 0;
        }
    }

    /// <summary>The pause after the n-th failure in a row: <see cref="ProjectionRunnerOptions.RetryDelay"/>, doubling up to <see cref="ProjectionRunnerOptions.MaxRetryDelay"/>.</summary>
    internal TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks * (1L << Math.Min(failures - 1, 20))));
}

public sealed record ProjectionRunnerOptions
{
    public int BatchSize { get; init; } = 500;

    /// <summary>How often to look for appends made by other nodes (this node's appends wake it at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest pause between two tries of a batch that keeps failing.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);
}
