using Logistics.Application.Lockers;
using Logistics.Application.Projections;
using Logistics.Application.Streams;
using Logistics.Dispatch;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Npgsql;

namespace Logistics.Application.Planning;

/// <summary>
/// Plans every courier's round from the pending parcels and the couriers on shift, or re-plans one courier's round.
/// Runs are serialised (in-process and with a PostgreSQL advisory lock across nodes), so two "plan now" never plan
/// the same parcels twice; a network whose input did not change since its last run is not planned again. A run is
/// two halves around the solver: <see cref="PrepareAsync"/> (rounds of couriers off shift cancelled, the problems
/// built) and <see cref="ApplyAsync"/> (compartments reserved, rounds recorded), so a cut-off can prepare every
/// network, solve them all in one batch and apply each (<c>RoundPlanner.Networks.cs</c>).
/// </summary>
public sealed partial class RoundPlanner(
    EventStreams streams, PlanningReads reads, Compartments compartments, ProjectionHost projections, NpgsqlDataSource dataSource, PlanningOptions options, PlanningTravel travel,
    ProcessManagers.FaultInjection faults, ILogger<RoundPlanner> logger) : IDisposable
{
    private const long AdvisoryLock = 4_711_004;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Plans all couriers on shift of the caller's network; cancels the rounds of its couriers who left their shift. A
    /// context bound to no network (the cut-off scheduler) plans every network at once, each apart from the others but
    /// solved in one batch (<see cref="PlanEveryNetworkAsync"/>), and answers their sums.
    /// </summary>
    public async Task<PlanningResult> PlanAsync(CommandContext context, CancellationToken cancellationToken = default) =>
        context.Actor.Network is { } network
            ? await MeasuredAsync("all", () => LockedAsync(connection => PlanNetworkAsync(connection, network, context, cancellationToken), cancellationToken))
            : await MeasuredAsync(EveryNetwork, () => LockedAsync(connection => PlanEveryNetworkAsync(connection, context, cancellationToken), cancellationToken));

    /// <summary>Re-plans one courier's round with the parcels it already holds (after a failed home delivery).</summary>
    public async Task<PlanningResult> ReplanCourierAsync(CourierId courier, CommandContext context, CancellationToken cancellationToken = default)
    {
        var network = context.Actor.Network ?? await streams.NetworkOfAsync(Deciders.Stream(courier), cancellationToken) ?? Networks.NetworkIds.Default;
        context = context.Actor.Network is null ? context.InNetwork(network) : context;
        return await MeasuredAsync("courier", () => LockedAsync(
            async _ =>
            {
                var input = await LoadAsync(courier, network, cancellationToken);
                var prepared = await PrepareAsync(input, courier, network, travel.Mode(), context, cancellationToken);
                return await ApplyAsync(prepared, Solve(prepared.Problems), cancellationToken);
            },
            cancellationToken));
    }

    // One network's plan: skipped when its input is the last run's, else prepared, solved, applied and recorded.
    private async Task<PlanningResult> PlanNetworkAsync(NpgsqlConnection connection, string network, CommandContext context, CancellationToken cancellationToken)
    {
        var input = await LoadAsync(null, network, cancellationToken);
        var mode = travel.Mode();
        var fingerprint = input.Fingerprint(mode);
        if (await LastRunAsync(connection, network, fingerprint, cancellationToken) is { } unchanged)
        {
            return unchanged;
        }

        var prepared = await PrepareAsync(input, null, network, mode, context, cancellationToken);
        var result = await ApplyAsync(prepared, Solve(prepared.Problems), cancellationToken);
        await RecordRunAsync(connection, network, fingerprint, result, cancellationToken);
        return result;
    }

    private async Task<PlanningInput> LoadAsync(CourierId? only, string network, CancellationToken cancellationToken)
    {
        var input = await PlanningInput.LoadAsync(streams, reads, options, only, network, cancellationToken);
        faults.At(ProcessManagers.FaultInjection.PlanningAfterInput);
        return input;
    }

    /// <summary>
    /// A network's run up to the solver, in that network's context: what the rounds held and the
    /// compartments earlier plans reserved (read before the rounds of couriers off shift are cancelled), and the
    /// problems to solve (<see cref="Groups"/>).
    /// </summary>
    private sealed record Prepared(
        string Network,
        CommandContext Context,
        PlanningInput Input,
        string Mode,
        DateTimeOffset Now,
        IReadOnlyList<(LockerId Locker, ParcelId Parcel)> HeldBefore,
        Dictionary<ParcelId, Holder> Holders,
        List<PlanningProblem> Problems);

    /// <summary>The first half of a run: a full plan cancels the rounds of couriers off shift and frees what cancelled parcels held, then the problems are built.</summary>
    private async Task<Prepared> PrepareAsync(PlanningInput input, CourierId? only, string network, string mode, CommandContext context, CancellationToken cancellationToken)
    {
        var now = streams.Clock.GetUtcNow();
        var heldBefore = only is null ? await HeldForPlannedParcelsAsync(network, cancellationToken) : [];
        var holders = await HoldersAsync(only, network, cancellationToken);
        if (only is null)
        {
            await CancelRoundsOffShiftAsync(input, network, now, context, cancellationToken);
            await ReleaseCancelledAsync(network, context, cancellationToken);
        }

        var provider = travel.Provider(mode);
        var problems = Groups(input).Select(group => new PlanningProblem(group, options, now, streams.Clock.LocalTimeZone, provider)).ToList();
        return new Prepared(network, context, input, mode, now, heldBefore, holders, problems);
    }

    /// <summary>The second half of a run: the solutions of its problems (in their order) become compartments reserved and rounds recorded.</summary>
    private async Task<PlanningResult> ApplyAsync(Prepared run, IReadOnlyList<Solution> solutions, CancellationToken cancellationToken)
    {
        var (network, context, input, mode, now, heldBefore, holders, problems) = run;
        faults.At(ProcessManagers.FaultInjection.PlanningBeforeApply);
        var unplaced = input.Refused.Concat(problems.SelectMany(p => p.Refused)).Select(r => new UnplacedParcel(r.Parcel.Value, r.Reason))
            .Concat(problems.Zip(solutions).SelectMany(x => x.Second.Unassigned.Select(u => new UnplacedParcel(x.First.Parcels[u.Request].Id.Value, PlanningProblem.Reason(u)))))
            .ToList();
        LogSolved(logger, network, problems.Sum(p => p.Parcels.Count), problems.Sum(p => p.Couriers.Count), solutions.Sum(s => s.Routes.Count), solutions.Sum(s => s.Unassigned.Count), mode);

        // Compartments first: a parcel whose locker is full stays at its shop, and the rounds are told who has what.
        var plans = new List<CourierPlan>();
        foreach (var (problem, solution) in problems.Zip(solutions))
        {
            var routes = solution.Routes.ToDictionary(r => r.Vehicle);
            var lateness = solution.Late.GroupBy(l => l.Stop).ToDictionary(g => g.Key, g => g.Max(l => l.Lateness));
            for (var v = 0; v < problem.Couriers.Count; v++)
            {
                var route = routes.GetValueOrDefault(v);
                List<Visit> visits = route is null ? [] : Visits(problem, route, lateness);
                var reserved = await ReserveAsync(visits, unplaced, context, cancellationToken);
                plans.Add(new CourierPlan(problem.Couriers[v], route, visits, reserved));
            }
        }

        var holderAfter = plans.SelectMany(p => p.Visits.Select(x => (x.Parcel.Id, p.Courier))).DistinctBy(x => x.Id).ToDictionary(x => x.Id, x => x.Courier);
        var deferred = unplaced.Select(u => new ParcelId(u.ParcelId)).ToHashSet();
        var onShift = input.Couriers.Select(c => c.Id).ToHashSet();
        var deposits = new HashSet<(LockerId Locker, ParcelId Parcel)>();
        var late = new List<LateParcel>();
        int rounds = 0, planned = 0;
        foreach (var (courier, route, visits, reserved) in plans)
        {
            deposits.UnionWith(visits.Where(x => x.Kind == TaskKind.Deposit).Select(x => (((StopPlace.Locker)x.Place).Id, x.Parcel.Id)));
            var stops = Stops(visits, reserved, now, route?.Break);
            var km = visits.Count == 0 ? 0 : Math.Round(route!.Distance / 1000, 2);
            var changes = Changes(courier, visits, holders, holderAfter, deferred, onShift);
            if (await RecordRoundAsync(courier, stops, km, changes, now, context, cancellationToken))
            {
                rounds++;
            }

            planned += visits.Select(x => x.Parcel.Id).Distinct().Count();
            late.AddRange(visits.Where(x => x.Late is not null && x.Parcel.PromisedBy is not null).Select(x => new LateParcel(
                x.Parcel.Id.Value, courier.Id.Value, courier.Name, x.Parcel.PromisedBy!.Value, now.AddSeconds(Math.Ceiling(x.Start)), (int)Math.Ceiling(x.Late!.Value / 60))));
        }

        // A compartment an earlier plan reserved for a parcel this plan no longer takes there (left out, or bound for
        // another locker now) goes back to the locker instead of being held for nobody.
        foreach (var held in heldBefore.Where(h => !deposits.Contains(h)))
        {
            await ReleaseReservationAsync(held.Locker, held.Parcel, "no longer planned there", context, cancellationToken);
        }

        return new PlanningResult(rounds, planned, unplaced) { Late = late, Travel = mode };
    }

    /// <summary>Reserves a compartment for each deposit of a route; a parcel not picked up yet whose locker is full is taken off it and left out.</summary>
    private async Task<Dictionary<ParcelId, int?>> ReserveAsync(List<Visit> visits, List<UnplacedParcel> unplaced, CommandContext context, CancellationToken cancellationToken)
    {
        var reserved = new Dictionary<ParcelId, int?>();
        foreach (var visit in visits.Where(x => x.Kind == TaskKind.Deposit).ToList())
        {
            var locker = ((StopPlace.Locker)visit.Place).Id;
            try
            {
                reserved[visit.Parcel.Id] = await compartments.ReserveAsync(locker, visit.Parcel.Id, visit.Parcel.Details.Size, context, cancellationToken);
            }
            catch (DomainRuleViolation refusal) when (visit.Parcel.OnBoardWith is null)
            {
                // Not picked up yet: better left at its shop than carried to a full locker.
                visits.RemoveAll(x => x.Parcel.Id == visit.Parcel.Id);
                unplaced.Add(new UnplacedParcel(visit.Parcel.Id.Value, "locker-full — " + refusal.Message));
            }
            catch (DomainRuleViolation)
            {
                reserved[visit.Parcel.Id] = null;
            }
        }

        return reserved;
    }

    private Task<IReadOnlyList<(LockerId Locker, ParcelId Parcel)>> HeldForPlannedParcelsAsync(string network, CancellationToken cancellationToken) =>
        reads.Planning.ReservedForPlannedAsync(network, cancellationToken);

    private async Task ReleaseReservationAsync(LockerId locker, ParcelId parcel, string reason, CommandContext context, CancellationToken cancellationToken)
    {
        // The read models may lag: a parcel already put in (its compartment not marked occupied yet) keeps it.
        if ((await streams.LoadAsync(Deciders.Parcel, Deciders.Stream(parcel), cancellationToken)).State is Parcel.AwaitingCollection or Parcel.DroppedAtLocker)
        {
            return;
        }

        try
        {
            await compartments.CancelReservationAsync(locker, parcel, context, cancellationToken, reason);
        }
        catch (DomainRuleViolation)
        {
            // Deposited meanwhile: the compartment is the parcel's now.
        }
    }

    /// <summary>Records the plan on the courier's round: a re-plan of the active one, or a new round.</summary>
    private async Task<bool> RecordRoundAsync(
        PlanCourier courier, IReadOnlyList<RoundStop> stops, double km, IReadOnlyList<RoundChange> changes, DateTimeOffset now, CommandContext context, CancellationToken cancellationToken)
    {
        if (courier.Round is Round.Active active && courier.CurrentRound is { } current)
        {
            // A stop done without its parcels (the courier chose none) may come back with the same work: a new id.
            var taken = active.Track.Stops.Where(s => s.Started).Select(s => s.Stop.StopId).ToHashSet(StringComparer.Ordinal);
            stops = [.. stops.Select(s => taken.Contains(s.StopId) ? s with { StopId = Unique(s.StopId, taken) } : s)];
            var outcome = await streams.HandleAsync(
                RoundStreams.Decider, current.Stream, _ => new ReplanRound(stops, km, now) { Changes = changes }, context, Remember(courier.Id, current, stops), cancellationToken);
            return outcome.State is Round.Active;
        }

        if (stops.Count == 0)
        {
            return false;
        }

        var id = new RoundId(Guid.CreateVersion7().ToString("N"));
        await streams.HandleAsync(RoundStreams.Decider, id.Stream, _ => new PlanRound(id, courier.Id, stops, km, now), context, Remember(courier.Id, id, stops), cancellationToken);
        return true;
    }

    private static string Unique(string id, HashSet<string> taken)
    {
        var n = 2;
        while (taken.Contains($"{id}-{n}"))
        {
            n++;
        }

        return $"{id}-{n}";
    }

    private async Task CancelRoundsOffShiftAsync(PlanningInput input, string network, DateTimeOffset now, CommandContext context, CancellationToken cancellationToken)
    {
        var onShift = input.Couriers.Select(c => c.Id.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var id in (await reads.Planning.CurrentRoundsAsync(network, cancellationToken)).Where(r => !onShift.Contains(r.Key.Value)).Select(r => r.Value))
        {
            if ((await streams.LoadAsync(RoundStreams.Decider, id.Stream, cancellationToken)).State is not Round.Active)
            {
                continue;
            }

            await streams.HandleAsync(
                RoundStreams.Decider,
                id.Stream,
                _ => new CancelRound("the courier's shift ended", now),
                context,
                (connection, transaction, _) => Execute(connection, transaction, "delete from planning_parcels where round_id = $1", id.Value),
                cancellationToken);
        }
    }

    // Compartments reserved by an earlier plan for parcels their shop cancelled since.
    private async Task ReleaseCancelledAsync(string network, CommandContext context, CancellationToken cancellationToken)
    {
        foreach (var (locker, parcel) in await reads.Planning.ReservedForCancelledAsync(network, cancellationToken))
        {
            await ReleaseReservationAsync(locker, parcel, "its parcel was cancelled", context, cancellationToken);
        }
    }

    // The current round of each courier and the round of each planned parcel, written with the round's events.
    private static Func<NpgsqlConnection, NpgsqlTransaction, RoundEvent[], Task> Remember(CourierId courier, RoundId round, IReadOnlyList<RoundStop> stops) =>
        async (connection, transaction, _) =>
        {
            var parcels = stops.SelectMany(s => s.Parcels).Select(t => t.Parcel.Value).Distinct().ToArray();
            await Execute(
                connection,
                transaction,
                """
                insert into planning_rounds (courier_id, round_id, updated_at) values ($1, $2, now())
                on conflict (courier_id) do update set round_id = excluded.round_id, updated_at = excluded.updated_at
                """,
                courier.Value,
                round.Value);
            await Execute(connection, transaction, "delete from planning_parcels where round_id = $1 and not (parcel_id = any($2))", round.Value, parcels);
            await Execute(
                connection,
                transaction,
                """
                insert into planning_parcels (parcel_id, round_id, courier_id) select unnest($1::text[]), $2, $3
                on conflict (parcel_id) do update set round_id = excluded.round_id, courier_id = excluded.courier_id
                """,
                parcels,
                round.Value,
                courier.Value);
        };

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await command.ExecuteNonQueryAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planning {Network}: {Parcels} parcels, {Couriers} couriers -> {Routes} routes, {Unassigned} left out (travel: {Travel})")]
    private static partial void LogSolved(ILogger logger, string network, int parcels, int couriers, int routes, int unassigned, string travel);
}
