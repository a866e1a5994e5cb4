using Logistics.Dispatch.Acceptance;
using Logistics.Dispatch.Construction;
using Logistics.Dispatch.Model;
using Logistics.Dispatch.Search.Operators;
using Logistics.Dispatch.Stopping;

namespace Logistics.Dispatch.Search;

/// <summary>
/// One search thread, after SISR (Christiaens &amp; Vanden Berghe 2020): build greedily, then (hierarchical
/// objective) remove whole routes and repair with ruin-and-recreate driven by absence counts (their fleet
/// minimisation), then ruin-and-recreate under simulated annealing for the cost, keeping the best. The distance
/// phase adds a route ruin and widens its ruins when stagnating (as adaptive LNS does with its neighbourhoods).
/// </summary>
internal sealed class SearchRun
{
    private readonly Compiled _problem;
    private readonly SolverParameters _parameters;
    private readonly IStopCriterion _stop;
    private readonly long _started;
    private readonly Rng _rng;
    private readonly Ruin _ruin;
    private readonly RouteRuin _routeRuin;
    private readonly Recreate _recreate;
    private readonly bool[] _allVehicles;
    private readonly LocalSearch _localSearch;

    private readonly int _thread;

    public SearchRun(Compiled problem, SolverParameters parameters, IStopCriterion stop, long started, ulong seed, int thread = 0)
    {
        _thread = thread;
        _problem = problem;
        _parameters = parameters;
        _stop = stop;
        _started = started;
        _rng = new Rng(seed);
        _ruin = new Ruin(problem, parameters);
        _routeRuin = new RouteRuin(problem);
        _recreate = new Recreate(problem, parameters);
        _localSearch = new LocalSearch(problem);
        _allVehicles = new bool[problem.VehicleCount];
        Array.Fill(_allVehicles, true);
    }

    public long Iterations { get; private set; }

    public WorkingSolution Run(IReadOnlyList<int> placeable)
    {
        var best = new WorkingSolution(_problem);
        WarmStart.Apply(best, placeable);
        best.Absent.AddRange(placeable.Where(r => best.RouteOf[r] < 0));
        _recreate.Apply(best, _rng, _allVehicles);
        Report(best);
        if (placeable.Count == 0)
        {
            // Nothing to route: no reason to spend the time budget.
            return best;
        }

        if (UseLocalSearch)
        {
            _localSearch.Descend(best, () => Progress() < 1);
            Report(best);
        }

        var stops = best.Routes.Sum(r => r.StopCount) + best.UsedVehicles;
        var meanArc = Math.Max(1.0, best.Routes.Sum(r => r.ArcCost) / (double)Math.Max(1, stops));
        var share = _problem.Problem.Objective is Objective.VehiclesThenDistance ? Math.Clamp(_parameters.FleetMinimisationShare, 0, 1) : 0;
        if (share > 0 && best.Absent.Count == 0)
        {
            // The budget is split by progress: the fleet phase ends at its share, or earlier once it has removed no
            // route for FleetPatience of the budget; the distance phase gets the rest.
            var lastGain = Progress();
            bool MayContinue()
            {
                var progress = Progress();
                return progress < share && progress - lastGain < _parameters.FleetPatience;
            }

            void Gained(WorkingSolution solution)
            {
                lastGain = Progress();
                Report(solution);
            }

            new FleetMinimisation(_problem, _ruin, _recreate, _rng, MayContinue, () => Iterations++, Gained).Run(best);
            share = Math.Min(share, Progress());
        }

        Anneal(best, share, meanArc);
        return best;
    }

    // SISR-sized ruins while the search improves; wider ones (up to MaxNeighbourhoodGrowth times) the longer it
    // has not, and now and then a whole route.
    private void RuinForDistance(WorkingSolution candidate, long stagnant)
    {
        if (_parameters.RouteRuinRate > 0 && _rng.NextDouble() < _parameters.RouteRuinRate
            && _routeRuin.Apply(candidate, _rng, (int)(8 * _parameters.AverageRemoved)))
        {
            return;
        }

        var growth = _parameters.StagnationIterations <= 0 ? 1
            : Math.Min(Math.Max(1, _parameters.MaxNeighbourhoodGrowth), 1 + ((double)stagnant / _parameters.StagnationIterations));
        _ruin.Apply(candidate, _rng, growth);
    }

    // The descent scans whole neighbourhoods without granularity: worth it on benchmark sizes, not on a town.
    // Its moves see arc costs only: left out when lateness or stability is priced, or routes need walking.
    private bool UseLocalSearch => _parameters.LocalSearchInterval > 0 && _problem.RequestCount <= _parameters.LocalSearchMaxRequests && !_problem.HasPenalties;

    private void Report(WorkingSolution best)
    {
        if (_parameters.OnImprovement is { } report)
        {
            var used = best.UsedVehicles;
            var cost = best.Cost - (_problem.Problem.Objective is Objective.VehiclesThenDistance ? used * Compiled.VehiclePrice : 0);
            report(new Improvement(_thread, _parameters.TimeProvider.GetElapsedTime(_started), Iterations, used, best.Absent.Count, cost / _problem.CostScale));
        }
    }

    private double Progress() =>
        _stop.Progress(new SearchStatus(Iterations, _parameters.TimeProvider.GetElapsedTime(_started)));

    private void Anneal(WorkingSolution best, double share, double meanArc)
    {
        var annealing = new Annealing(_parameters.StartTemperature * meanArc, _parameters.EndTemperature * meanArc);
        var current = best.Clone();
        var candidate = best.Clone();
        double progress;
        var lastDescent = Iterations;
        var lastBest = Iterations;
        while ((progress = Progress()) < 1)
        {
            Iterations++;
            candidate.CopyFrom(current);
            RuinForDistance(candidate, Iterations - lastBest);
            _recreate.Apply(candidate, _rng, _allVehicles);
            var temperature = annealing.Temperature(share >= 1 ? 1 : (progress - share) / (1 - share));
            if (candidate.Absent.Count < current.Absent.Count
                || (candidate.Absent.Count == current.Absent.Count && Annealing.Accept(candidate.Cost, current.Cost, temperature, _rng.NextDouble())))
            {
                (current, candidate) = (candidate, current);
                if (current.IsBetterThan(best))
                {
                    // Polish a new best now and then; the descent's local optimum becomes the annealing's current.
                    if (UseLocalSearch && Iterations - lastDescent >= _parameters.LocalSearchInterval)
                    {
                        lastDescent = Iterations;
                        _localSearch.Descend(current, () => Progress() < 1);
                    }

                    best.CopyFrom(current);
                    lastBest = Iterations;
                    Report(best);
                }
            }
        }
    }
}
