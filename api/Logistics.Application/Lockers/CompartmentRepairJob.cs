using Logistics.Application.ProcessManagers;
using Npgsql;

namespace Logistics.Application.Lockers;

/// <summary>
/// Runs the compartments' check and repair at start and every <see cref="Interval"/>, on the node that holds its
/// lease. A failure is logged and tried again at the next run: it never stops the host.
/// </summary>
public sealed class CompartmentRepairJob(CompartmentReconciler reconciler, NpgsqlDataSource dataSource, ILogger<CompartmentRepairJob> logger) : BackgroundService
{
    public const long LeaseKey = 4_711_011;
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await Lease.TryAcquireAsync(dataSource, LeaseKey, stoppingToken);
                if (lease is not null)
                {
                    var check = await reconciler.CheckAsync(repair: true, cancellationToken: stoppingToken);
                    if (check.Findings.Count > 0)
                    {
                        logger.LogWarning("Compartment check: {Count} compartment(s) did not hold what their parcels require; repaired {Repaired}", check.Findings.Count, check.Findings.Count(f => f.Repaired));
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Compartment check failed and will run again: {Error}", e.Message);
            }

            await Task.Delay(Interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
