using System.Diagnostics;
using Logistics.Application.Streams;
using Npgsql;

namespace Logistics.Application.Planning;

public sealed partial class RoundPlanner
{
    /// <summary>
    /// A cut-off: every network planned at once, under one lock. Each network's input is loaded and, unless it is the
    /// last run's, its run prepared in its own context; the problems of all of them go to one <see cref="Solve"/>, so
    /// the budget (<see cref="PlanningOptions.SolverSeconds"/>) is shared by size on the bounded threads instead of
    /// each network taking a whole budget in turn; then each network's solutions are applied and its run recorded.
    /// Networks stay apart: a problem holds one network's couriers and parcels, a round one network's.
    /// <para>
    /// A network whose run fails (its input, its preparation or its application) is logged and left for the next run,
    /// its input not recorded; the others are planned and recorded all the same, and then the cut-off throws
    /// <see cref="NetworksNotPlanned"/>, so the scheduler does not mark it done and tries again at its next tick,
    /// when the networks planned this time are skipped as unchanged and only the failed ones are planned.
    /// </para>
    /// </summary>
    private async Task<PlanningResult> PlanEveryNetworkAsync(NpgsqlConnection connection, CommandContext context, CancellationToken cancellationToken)
    {
        // Read once the read models are caught up: a network whose first parcel just arrived is in.
        var networks = await reads.Planning.NetworksToPlanAsync(cancellationToken);
        var mode = travel.Mode();
        var results = new Dictionary<string, PlanningResult>(StringComparer.Ordinal);
        var failures = new Dictionary<string, Exception>(StringComparer.Ordinal);
        var runs = new List<(Prepared Run, string Fingerprint)>();
        foreach (var network in networks)
        {
            try
            {
                var input = await LoadAsync(null, network, cancellationToken);
                var fingerprint = input.Fingerprint(mode);
                if (await LastRunAsync(connection, network, fingerprint, cancellationToken) is { } unchanged)
                {
                    results[network] = unchanged;
                    continue;
                }

                runs.Add((await PrepareAsync(input, null, network, mode, context.InNetwork(network), cancellationToken), fingerprint));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures[network] = e;
                LogNetworkFailed(logger, network, e);
            }
        }

        var started = Stopwatch.GetTimestamp();
        var solutions = Solve([.. runs.SelectMany(r => r.Run.Problems)]);
        LogBatch(logger, networks.Count, runs.Count, results.Count, runs.Sum(r => r.Run.Problems.Sum(p => p.Parcels.Count)), Stopwatch.GetElapsedTime(started).TotalSeconds);

        var next = 0;
        foreach (var (run, fingerprint) in runs)
        {
            var own = solutions.GetRange(next, run.Problems.Count);
            next += run.Problems.Count;
            try
            {
                var result = await ApplyAsync(run, own, cancellationToken);
                await RecordRunAsync(connection, run.Network, fingerprint, result, cancellationToken);
                results[run.Network] = result;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures[run.Network] = e;
                LogNetworkFailed(logger, run.Network, e);
            }
        }

        List<string> planned = [.. networks.Where(results.ContainsKey)];
        var total = Sum([.. planned.Select(n => results[n])], mode);
        return failures.Count == 0 ? total : throw new NetworksNotPlanned(failures, planned, total);
    }

    private static PlanningResult Sum(IReadOnlyList<PlanningResult> results, string mode) =>
        new(results.Sum(r => r.Rounds), results.Sum(r => r.ParcelsPlanned), [.. results.SelectMany(r => r.Unplaced)])
        {
            Late = [.. results.SelectMany(r => r.Late)],
            Travel = mode,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Planning every network: {Networks} networks, {Planned} solved together ({Parcels} parcels) in {Seconds:F2} s, {Unchanged} unchanged since their last run")]
    private static partial void LogBatch(ILogger logger, int networks, int planned, int unchanged, int parcels, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning of network {Network} failed; the other networks are planned, this one at the next run")]
    private static partial void LogNetworkFailed(ILogger logger, string network, Exception error);
}
