using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Npgsql;

namespace Logistics.EventStore.Subscriptions;

/// <summary>
/// Rebuilds projections from position 0 without readers ever seeing a half-built model. Each projection's tables are
/// created afresh in a shadow schema (<c>rebuild_&lt;name&gt;</c>, through the search path, so its own DDL and SQL
/// serve unchanged); the log is read once, in large pages (up to where it is final when the rebuild starts; when every
/// projection has a bulk builder, only the event types one of them reads), decoded once and fed to every projection
/// in parallel — a
/// bulk builder (<see cref="IBulkProjection"/>) into unindexed tables written with binary COPY, then indexed; any other
/// projection through its <see cref="IProjection.ApplyAsync"/> in the shadow. Then, one transaction per projection:
/// its checkpoint row is locked (the live runner skips meanwhile), what was appended since is applied to the shadow,
/// the live tables are dropped, the shadow ones moved in, and the checkpoint set where the shadow stands. Readers see
/// the old complete model until that commit, and the new one after it. The live runner goes on during the rebuild.
/// </summary>
public sealed partial class ProjectionRebuild(
    PostgresEventStore store, EventSerializer serializer, IReadOnlyList<IProjection> projections, ProjectionRebuildOptions? options = null)
{
    private readonly ProjectionRebuildOptions _options = options ?? new ProjectionRebuildOptions();

    /// <summary>The shadow schema a projection is rebuilt in.</summary>
    public static string ShadowSchema(IProjection projection) =>
        "rebuild_" + new string(projection.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());

    /// <summary>
    /// Rebuilds every projection; returns how many events of the log were read (with bulk builders only, those of the
    /// types they read), and the time each one's fill took.
    /// </summary>
    public async Task<RebuildOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        var targets = new List<Target>();
        try
        {
            foreach (var projection in projections)
            {
                targets.Add(await Target.PrepareAsync(store.DataSource, projection, cancellationToken));
            }

            var (events, end, reading, decoding) = await FillAsync(targets, cancellationToken);
            await Task.WhenAll(targets.Select(t => Task.Run(() => t.CompleteAsync(cancellationToken), cancellationToken)));
            foreach (var target in targets)
            {
                await SwapAsync(target, end, cancellationToken);
            }

            return new RebuildOutcome(
                events, total.Elapsed, targets.ToDictionary(t => t.Projection.Name, t => t.Elapsed, StringComparer.Ordinal), reading, decoding);
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Reads the log once, as a pipeline: the next page is fetched (and its people's keys) while this one is decoded,
    /// and decoded while the projections apply the ones before it (each projection applies its pages in order, from a
    /// short queue of its own). Returns
    /// how long it waited for pages and how long it decoded them, apart from the projections' own time.
    /// </summary>
    private async Task<(long Events, GlobalPosition End, TimeSpan Reading, TimeSpan Decoding)> FillAsync(IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        var wanted = new ConcurrentDictionary<string, Type?>(StringComparer.Ordinal);
        var anyFallback = targets.Any(t => t.Builder is null);
        Type? Wanted(string eventType) => wanted.GetOrAdd(eventType, name =>
            serializer.TypeOf(name) is { } type && (anyFallback || targets.Any(t => t.Reads(type))) ? type : null);

        // Up to where the log is final now (what comes after is applied at the swap), and, when every projection has
        // a bulk builder, only the event types one of them reads: the others are not even sent by the server.
        string[]? types = anyFallback ? null : [.. serializer.KnownTypes.Where(name => Wanted(name) is not null)];
        long events = 0;
        var waiting = new Stopwatch();
        var decoding = new Stopwatch();
        var position = GlobalPosition.Start;
        await using var reading = await store.DataSource.OpenConnectionAsync(cancellationToken);
        var end = await PostgresEventStore.EndAsync(reading, cancellationToken);
        var next = ReadPageAsync(reading, position, end, types, Wanted, cancellationToken);

        // Each projection applies its pages in order from a queue of its own, up to PagesAhead behind the decoding: a
        // page that one projection finds long no longer holds the others (and a core) idle until it is done.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queues = targets.Select(_ => Channel.CreateBounded<EventEnvelope?[]>(
            new BoundedChannelOptions(_options.PagesAhead) { SingleReader = true, SingleWriter = true })).ToArray();
        var applying = targets.Select((target, i) => Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var page in queues[i].Reader.ReadAllAsync(failed.Token))
                    {
                        await target.ApplyAsync(page, failed.Token);
                    }
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            },
            CancellationToken.None)).ToArray();
        try
        {
            while (true)
            {
                waiting.Start();
                var page = await next;
                waiting.Stop();
                if (page.Count == 0)
                {
                    break;
                }

                events += page.Count;
                position = page[^1].Position;
                next = ReadPageAsync(reading, position, end, types, Wanted, cancellationToken);

                // This page is decoded while the projections still apply the ones before it.
                decoding.Start();
                var decoded = Decode(page, Wanted, cancellationToken);
                decoding.Stop();
                foreach (var queue in queues)
                {
                    await queue.Writer.WriteAsync(decoded, failed.Token);
                }
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A projection failed: its own exception is the one to report (below).
        }
        finally
        {
            foreach (var queue in queues)
            {
                queue.Writer.TryComplete();
            }
        }

        await Task.WhenAll(applying);
        return (events, end, waiting.Elapsed, decoding.Elapsed);
    }

    /// <summary>
    /// The page of the log after <paramref name="from"/>, with the keys of the people its wanted events hold already
    /// fetched: done while the page before is decoded, so the key look-ups are off the decoding's path.
    /// </summary>
    private async Task<IReadOnlyList<RecordedEvent>> ReadPageAsync(
        NpgsqlConnection connection, GlobalPosition from, GlobalPosition end, string[]? types, Func<string, Type?> wanted, CancellationToken cancellationToken)
    {
        var page = await PostgresEventStore.ReadRangeAsync(connection, from, end, types, _options.PageSize, cancellationToken);
        await serializer.PreloadKeysAsync(page.Where(e => wanted(e.EventType) is not null), cancellationToken);
        return page;
    }

    private EventEnvelope?[] Decode(
        IReadOnlyList<RecordedEvent> page, Func<string, Type?> wanted, CancellationToken cancellationToken)
    {
        var decoded = new EventEnvelope?[page.Count];
        Parallel.ForEach(
            Partitioner.Create(0, page.Count, 1024),
            new ParallelOptions { CancellationToken = cancellationToken },
            range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    if (wanted(page[i].EventType) is not null)
                    {
                        decoded[i] = new EventEnvelope(page[i], serializer.Deserialize(page[i]));

                        // Read here, in parallel, rather than by the projection applying the page.
                        _ = page[i].Metadata;
                    }
                }
            });
        return decoded;
    }

    /// <summary>Applies what was appended since the fill and swaps the shadow tables in, with the checkpoint, in one transaction.</summary>
    private async Task SwapAsync(Target target, GlobalPosition filled, CancellationToken cancellationToken)
    {
        var name = target.Projection.Name;
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using (var ensure = new NpgsqlCommand(
            "insert into es_checkpoints (name, tx_id, seq) values ($1, '0'::xid8, 0) on conflict (name) do nothing", connection))
        {
            ensure.Parameters.Add(new NpgsqlParameter { Value = name });
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var context = new ProjectionContext(connection, transaction);
        await context.ExecuteAsync("select 1 from es_checkpoints where name = $1 for update", cancellationToken, name);
        await context.ExecuteAsync($"set local search_path to {target.Schema}, public", cancellationToken);
        var position = filled;
        while (true)
        {
            var batch = await PostgresEventStore.ReadAllAsync(connection, transaction, position, _options.PageSize, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var envelopes = batch.Where(e => serializer.IsKnown(e.EventType)).Select(e => new EventEnvelope(e, serializer.Deserialize(e))).ToList();
            if (envelopes.Count > 0)
            {
                await target.Projection.ApplyAsync(context, envelopes, cancellationToken);
            }

            position = batch[^1].Position;
        }

        await context.ExecuteAsync("set local search_path to public", cancellationToken);
        foreach (var table in await target.TablesAsync(context, cancellationToken))
        {
            await context.ExecuteAsync($"drop table if exists public.{table}", cancellationToken);
            await context.ExecuteAsync($"alter table {target.Schema}.{table} set schema public", cancellationToken);
        }

        await context.ExecuteAsync($"drop schema {target.Schema}", cancellationToken);
        await context.ExecuteAsync(
            "update es_checkpoints set tx_id = $2::xid8, seq = $3, updated_at = now() where name = $1",
            cancellationToken,
            name,
            position.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture),
            position.Sequence);
        await transaction.CommitAsync(cancellationToken);
        target.Swapped();
    }
}

public sealed record ProjectionRebuildOptions
{
    /// <summary>
    /// Events read per page of the log: small enough that a page's events, decoded and applied within the three pages
    /// the pipeline holds, are still young when they die (pages of 20,000 lived long enough to reach the oldest
    /// generation, and the rebuild paused twice as long for the garbage collector).
    /// </summary>
    public const int DefaultPageSize = 5_000;

    /// <summary>Events read per page of the log.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>
    /// Decoded pages a projection may have waiting before the reading waits for it: enough that the projections
    /// do not wait on one another page by page, few enough that a page is still young when it is done with.
    /// </summary>
    public int PagesAhead { get; init; } = 2;
}

/// <summary>
/// Events read (with bulk builders only, those of the types they read), the whole rebuild's time, the time each projection spent being filled and completed, and how long the
/// rebuild waited for pages of the log and decoded them.
/// </summary>
public sealed record RebuildOutcome(
    long Events, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Projections, TimeSpan Reading, TimeSpan Decoding);
