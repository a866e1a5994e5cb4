using Logistics.Application.Projections;
using Logistics.EventStore;
using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Npgsql;

namespace Logistics.Application.ProcessManagers;

/// <summary>
/// Runs every process manager in the background on the node that holds their one lease, each on a loop of its own (its
/// own wake-up, its own pause after a failure), so that one that is slow, far behind or failing delays no other: a
/// board's door command does not wait behind the webhooks' fan-out. Another node takes over within
/// <see cref="LeaseRetry"/> of the holder dying. <see cref="CatchUpAsync"/> finishes everything that follows what is
/// committed now (process managers, then read models, until nothing moves): what tests and the demo's seeding wait for.
/// </summary>
public sealed class ProcessManagerHost : BackgroundService, IDisposable
{
    public const long LeaseKey = 4_711_010;
    public static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);

    private readonly PostgresEventStore _store;
    private readonly ProjectionHost _projections;
    private readonly ILogger<ProcessManagerHost> _logger;

    // One run of each process manager at a time on this node: its background loop or a catch-up. The managers share
    // no mutable state (each has its own checkpoint, and its steps are ones requests take concurrently anyway), so
    // different ones run side by side.
    private readonly SemaphoreSlim[] _gates;

    // The background takes the lease and lets it go only outside a catch-up, so a catch-up that finds the lease held
    // here runs under it to the end.
    private readonly SemaphoreSlim _leaseGate = new(1, 1);
    private Lease? _held;

    public ProcessManagerHost(PostgresEventStore store, EventSerializer serializer, IEnumerable<IProcessManager> managers, ProjectionHost projections, TimeProvider clock, ILogger<ProcessManagerHost> logger)
    {
        _store = store;
        _projections = projections;
        _logger = logger;
        Runners = [.. managers.Select(m => new ProcessManagerRunner(store, serializer, m, clock, logger))];
        _gates = [.. Runners.Select(_ => new SemaphoreSlim(1, 1))];
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
    /// waited for: a board that keeps reporting does not keep a caller waiting. Each process manager waits for its own
    /// background loop's pass, if one is running.
    /// </summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        for (var round = 0; round < 2; round++)
        {
            var target = await LastCommittedAsync(cancellationToken);
            while (true)
            {
                await _leaseGate.WaitAsync(cancellationToken);
                try
                {
                    // The lease, unless this node's background holds it already.
                    await using var lease = _held is null ? await Lease.AcquireAsync(_store.DataSource, LeaseKey, cancellationToken) : null;
                    for (var i = 0; i < Runners.Count; i++)
                    {
                        total += await RunAsync(i, cancellationToken);
                    }
                }
                finally
                {
                    _leaseGate.Release();
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

    private async Task<long> RunAsync(int runner, CancellationToken cancellationToken)
    {
        await _gates[runner].WaitAsync(cancellationToken);
        try
        {
            return await Runners[runner].CatchUpAsync(cancellationToken);
        }
        finally
        {
            _gates[runner].Release();
        }
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
                lease = await TakeLeaseAsync(stoppingToken);
                if (lease is null)
                {
                    // Another node runs them; try again shortly, to take over if it dies.
                    await Task.Delay(LeaseRetry, stoppingToken);
                    continue;
                }

                _logger.LogInformation("Process managers run on this node");
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
                    // Every loop has stopped by now; a catch-up running under the lease finishes before it is let go.
                    await _leaseGate.WaitAsync(CancellationToken.None);
                    _held = null;
                    _leaseGate.Release();
                    await lease.DisposeAsync();
                }
            }
        }
    }

    private async Task<Lease?> TakeLeaseAsync(CancellationToken stoppingToken)
    {
        await _leaseGate.WaitAsync(stoppingToken);
        try
        {
            return _held = await Lease.TryAcquireAsync(_store.DataSource, LeaseKey, stoppingToken);
        }
        finally
        {
            _leaseGate.Release();
        }
    }

    // Every process manager on a loop of its own, and a watch on the lease; all of them stop when the lease is found
    // lost or the host stops, and only then does this return (so the lease is let go after them). A loop that fails
    // outside a process manager's work (a bug) stops the others too, to take the lease again after a pause.
    private async Task RunWhileHeldAsync(Lease lease, CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task[] work = [WatchAsync(lease, stop.Token), .. Runners.Select((_, i) => LoopAsync(i, stop.Token))];
        await Task.WhenAny(work);
        await stop.CancelAsync();
        await Task.WhenAll(work);
    }

    // Returns when the lease is lost (its session gone: another node may take it at once) or on stop.
    private async Task WatchAsync(Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LeaseRetry, cancellationToken);
                if (!await lease.IsHeldAsync(cancellationToken))
                {
                    _logger.LogWarning("Process managers stop on this node: its lease is lost");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // One process manager: a pass over what is readable, then a wait for the next append on this node (or the poll,
    // for appends on other nodes); after a failure a pause that doubles while passes keep failing.
    private async Task LoopAsync(int runner, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var nextAppend = _store.NextAppend();
                long moved = 0;
                var failed = false;
                try
                {
                    moved = await RunAsync(runner, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // This event is tried again after a pause; the other process managers go on meanwhile.
                    failed = true;
                    _logger.LogWarning("Process {Process} will retry: {Error}", Runners[runner].Manager.Name, e.Message);
                }

                if (failed)
                {
                    await Task.Delay(backoff, cancellationToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
                }
                else
                {
                    // A pass without a failure: the next failure pauses briefly again (under steady load a pass always
                    // moves, and the pause must not keep the length it reached after an earlier run of failures).
                    backoff = FirstBackoff;
                    if (moved == 0)
                    {
                        await Task.WhenAny(nextAppend, Task.Delay(Poll, cancellationToken));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host stops, or the lease is lost.
        }
    }

    public override void Dispose()
    {
        foreach (var gate in _gates)
        {
            gate.Dispose();
        }

        _leaseGate.Dispose();
        base.Dispose();
    }
}
