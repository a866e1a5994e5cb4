using System.Globalization;
using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Npgsql;

namespace Logistics.Application.Planning;

/// <summary>
/// Runs a planning when a courier with an active round leaves the shift, and at each cut-off time of day, once: a cut-off is recorded when its run is done, so a restart does
/// not run it again, and one missed while the host was down runs at start (several missed ones make one run).
/// </summary>
public sealed partial class PlanningScheduler(RoundPlanner planner, PlanningQueries planning, NpgsqlDataSource dataSource, PlanningOptions options, TimeProvider clock, ILogger<PlanningScheduler> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Plans if a cut-off of today has passed without its run; returns the number of runs made (0 or 1).</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var local = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var due = options.CutOffs
            .Select(c => TimeOnly.ParseExact(c.Trim(), "HH:mm", CultureInfo.InvariantCulture))
            .Where(c => c <= time)
            .Select(c => c.ToString("HH:mm", CultureInfo.InvariantCulture))
            .ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        await using (var read = dataSource.CreateCommand("select cutoff from planning_cutoffs where day = $1"))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = day });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                done.Add(reader.GetString(0));
            }
        }

        var missing = due.Where(c => !done.Contains(c)).ToArray();
        if (missing.Length == 0)
        {
            return 0;
        }

        var result = await planner.PlanAsync(new CommandContext(Actor.System), cancellationToken);
        LogCutOff(logger, string.Join(", ", missing), result.Rounds, result.ParcelsPlanned, result.Unplaced.Count);
        await using var record = dataSource.CreateCommand(
            "insert into planning_cutoffs (day, cutoff, ran_at) select $1, unnest($2::text[]), $3 on conflict do nothing");
        record.Parameters.Add(new NpgsqlParameter { Value = day });
        record.Parameters.Add(new NpgsqlParameter { Value = missing });
        record.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        await record.ExecuteNonQueryAsync(cancellationToken);
        return 1;
    }

    /// <summary>
    /// A courier who left the shift with an active round triggers a planning: the round is cancelled and what was
    /// not picked up goes to the others. Returns the number of runs made (0 or 1).
    /// </summary>
    public async Task<int> ReplanDroppedOutAsync(CancellationToken cancellationToken = default)
    {
        if (!await planning.ActiveRoundOffShiftAsync(cancellationToken))
        {
            return 0;
        }

        var result = await planner.PlanAsync(new CommandContext(Actor.System), cancellationToken);
        LogDroppedOut(logger, result.Rounds, result.ParcelsPlanned, result.Unplaced.Count);
        return 1;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RunDueAsync(stoppingToken);
                await ReplanDroppedOutAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed run must not stop the host: the cut-off stays unrecorded and is tried again at the next tick.
                LogFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cut-off {CutOffs}: {Rounds} rounds, {Parcels} parcels planned, {Unplaced} left out")]
    private static partial void LogCutOff(ILogger logger, string cutOffs, int rounds, int parcels, int unplaced);

    [LoggerMessage(Level = LogLevel.Information, Message = "A courier left the shift: {Rounds} rounds, {Parcels} parcels planned, {Unplaced} left out")]
    private static partial void LogDroppedOut(ILogger logger, int rounds, int parcels, int unplaced);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cut-off planning failed and will retry: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
