using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Logistics.Application.Planning;

public sealed partial class RoundPlanner
{
    /// <summary>The telemetry kind of a cut-off's run over every network (one network's full plan is <c>all</c>, a courier's re-plan <c>courier</c>).</summary>
    private const string EveryNetwork = "every-network";

    /// <summary>A run's span and its count and duration by kind and outcome: planned, partial (some networks failed and others were planned: <see cref="NetworksNotPlanned"/>) or error.</summary>
    private static async Task<PlanningResult> MeasuredAsync(string kind, Func<Task<PlanningResult>> run)
    {
        using var activity = Telemetry.AppTelemetry.Source.StartActivity($"plan {kind}");
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await run();
            outcome = "planned";
            activity?.SetTag("logistics.parcels_planned", result.ParcelsPlanned);
            return result;
        }
        catch (NetworksNotPlanned some) when (some.Planned.Count > 0)
        {
            outcome = "partial";
            throw;
        }
        finally
        {
            Telemetry.AppTelemetry.PlanningRan(kind, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Runs one at a time: in this process (the gate) and across nodes (the advisory lock, held by the connection
    /// given to <paramref name="run"/>), each on read models caught up first.
    /// </summary>
    private async Task<T> LockedAsync<T>(Func<NpgsqlConnection, Task<T>> run, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await ExecuteAsync(connection, "select pg_advisory_lock($1)", cancellationToken, AdvisoryLock);
            try
            {
                await projections.CatchUpAsync(cancellationToken);
                return await run(connection);
            }
            finally
            {
                await ExecuteAsync(connection, "select pg_advisory_unlock($1)", CancellationToken.None, AdvisoryLock);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The network's last answer, when its last run started from the same input.</summary>
    private static async Task<PlanningResult?> LastRunAsync(NpgsqlConnection connection, string network, string fingerprint, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select result from planning_runs where id = hashtext($2) and fingerprint = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        command.Parameters.Add(new NpgsqlParameter { Value = network });
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<PlanningResult>(json) : null;
    }

    /// <summary>One row per network (its id's hash: a collision only costs a run that could have been skipped).</summary>
    private Task RecordRunAsync(NpgsqlConnection connection, string network, string fingerprint, PlanningResult result, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection,
            """
            insert into planning_runs (id, fingerprint, result, ran_at) values (hashtext($4), $1, $2, $3)
            on conflict (id) do update set fingerprint = excluded.fingerprint, result = excluded.result, ran_at = excluded.ran_at
            """,
            cancellationToken,
            fingerprint,
            JsonSerializer.Serialize(result),
            streams.Clock.GetUtcNow(),
            network);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
