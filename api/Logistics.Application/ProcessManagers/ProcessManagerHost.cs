using Logistics.Application.Projections;
using Logistics.EventStore;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Npgsql;

namespace Logistics.Application.ProcessManagers;

/// <summary>
/// Runs every process manager in the background on the node that holds their lease; another node takes over within
/// <see cref="LeaseRetry"/> of the holder dying. <see cref="CatchUpAsync"/> finishes everything that follows what is
/// committed now (process managers, then read models, until nothing moves): what tests and the demo's seeding wait for.
/// </summary>
public sealed class ProcessManagerHost : BackgroundService, IDisposable
{
    public const long LeaseKey = 4_711_010;
    public static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private readonly PostgresEventStore _store;
    private readonly ProjectionHost _projections;
    private readonly ILogger<ProcessManagerHost> _logger;

    // One run at a time on this node: the background loop or a catch-up.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Lease? _held;

    public ProcessManagerHost(PostgresEventStore store, EventSerializer serializer, IEnumerable<IProcessManager> managers, ProjectionHost projections, TimeProvider clock, ILogger<ProcessManagerHost> logger)
    {
        _store = store;
        _projections = projections;
        _logger = logger;
        Runners = [.. managers.Select(m => new ProcessManagerRunner(store, serializer, m, clock, logger))];
    }

    public IReadOnlyList<ProcessManagerRunner> Runners { get; }

    public async Task EnsureCheckpointsAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in Runners)
        {
            await runner.EnsureCheckpointAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Process managers and read models catch up with every event committed now, then with what that made the
    /// process managers append (they follow parcels' events and append lockers' and rounds' events, which none of them
    /// follows, so two rounds finish everything). Events committed meanwhile by others may be handled too, but are not
    /// waited for: a board that keeps reporting does not keep a caller waiting.
    /// </summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        for (var round = 0; round < 2; round++)
        {
            var target = await LastCommittedAsync(cancellationToken);
            while (true)
            {
                await _gate.WaitAsync(cancellationToken);
                try
                {
                    // The lease, unless this node's background loop holds it already.
                    await using var lease = _held is null ? await Lease.AcquireAsync(_store.DataSource, LeaseKey, cancellationToken) : null;
                    foreach (var runner in Runners)
                    {
                        total += await runner.CatchUpAsync(cancellationToken);
                    }
                }
                finally
                {
                    _gate.Release();
                }

                if (target is not { } position || await AllPastAsync(position, cancellationToken))
                {
                    break;
                }

                // Committed but not readable yet: an older transaction elsewhere in the cluster holds the snapshot back.
                await Task.Delay(10, cancellationToken);
            }

            await _projections.CatchUpAsync(cancellationToken);
        }

        return total;
    }

    private async Task<GlobalPosition?> LastCommittedAsync(CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand("select tx_id, seq from es_events order by tx_id desc, seq desc limit 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : null;
    }

    private async Task<bool> AllPastAsync(GlobalPosition position, CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand(
            "select coalesce(bool_and((tx_id, seq) >= ($1::xid8, $2)), true) from es_checkpoints where name like 'pm:%'");
        command.Parameters.Add(new NpgsqlParameter { Value = position.Transaction.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter { Value = position.Sequence });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Lease? lease = null;
            try
            {
                lease = await Lease.TryAcquireAsync(_store.DataSource, LeaseKey, stoppingToken);
                if (lease is null)
                {
                    // Another node runs them; try again shortly, to take over if it dies.
                    await Task.Delay(LeaseRetry, stoppingToken);
                    continue;
                }

                _logger.LogInformation("Process managers run on this node");
                _held = lease;
                await RunWhileHeldAsync(lease, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database away (the lease cannot be taken or checked), or a bug: pause, then take the lease again.
                _logger.LogWarning("Process managers paused: {Error}", e is NpgsqlException or TimeoutException ? e.Message : e.GetType().Name);
                await Task.Delay(LeaseRetry, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                if (lease is not null)
                {
                    await _gate.WaitAsync(CancellationToken.None);
                    _held = null;
                    _gate.Release();
                    await lease.DisposeAsync();
                }
            }
        }
    }

    private async Task RunWhileHeldAsync(Lease lease, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var checkedAt = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (DateTime.UtcNow - checkedAt > LeaseRetry)
            {
                if (!await lease.IsHeldAsync(stoppingToken))
                {
                    return;
                }

                checkedAt = DateTime.UtcNow;
            }

            var nextAppend = _store.NextAppend();
            long moved = 0;
            var failed = false;
            await _gate.WaitAsync(stoppingToken);
            try
            {
                foreach (var runner in Runners)
                {
                    try
                    {
                        moved += await runner.CatchUpAsync(stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // This event is tried again after a pause; the other process managers go on.
                        failed = true;
                        _logger.LogWarning("Process {Process} will retry: {Error}", runner.Manager.Name, e.Message);
                    }
                }
            }
            finally
            {
                _gate.Release();
            }

            if (failed)
            {
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            else if (moved == 0)
            {
                backoff = TimeSpan.FromMilliseconds(100);
                await Task.WhenAny(nextAppend, Task.Delay(Poll, stoppingToken));
            }
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
