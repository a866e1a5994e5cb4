using Logistics.Dispatch.Construction;

namespace Logistics.Dispatch.Search;

/// <summary>
/// SISR's fleet minimisation: take a route out, then ruin-and-recreate inside the smaller fleet. A candidate
/// is kept when it leaves fewer requests out, or when the requests it leaves out have been absent less often
/// so far (the absence counts steer the search towards placing the hard ones). When nothing is left out the
/// smaller fleet is the new best, and the next route goes. Half the ruins are made around a request left out.
/// </summary>
internal sealed class FleetMinimisation(Compiled problem, Ruin ruin, Recreate recreate, Rng rng, Func<bool> mayContinue, Action countIteration, Action<WorkingSolution> improved)
{
    private readonly long[] _absences = new long[problem.RequestCount];
    private readonly bool[] _allowed = new bool[problem.VehicleCount];
    private readonly List<int> _taken = [];
    private readonly bool[] _flags = new bool[problem.RequestCount];

    public void Run(WorkingSolution best)
    {
        var current = best.Clone();
        var candidate = best.Clone();
        if (!TakeRouteOut(current))
        {
            return;
        }

        while (mayContinue())
        {
            countIteration();
            candidate.CopyFrom(current);
            // Half the ruins are made next to a request left out: room is needed where it is, not anywhere.
            var seedStop = -1;
            if (candidate.Absent.Count > 0 && rng.NextDouble() < 0.5)
            {
                var r = candidate.Absent[rng.Next(candidate.Absent.Count)];
                seedStop = problem.Pickup[r] >= 0 && rng.NextDouble() < 0.5 ? problem.Pickup[r] : problem.Delivery[r];
            }

            ruin.Apply(candidate, rng, 1, seedStop);
            recreate.Apply(candidate, rng, _allowed);
            foreach (var r in candidate.Absent)
            {
                _absences[r]++;
            }

            if (candidate.Absent.Count < current.Absent.Count || SumAbsences(candidate) < SumAbsences(current))
            {
                (current, candidate) = (candidate, current);
            }

            if (current.Absent.Count == 0)
            {
                best.CopyFrom(current);
                improved(best);
                if (!TakeRouteOut(current))
                {
                    return;
                }
            }
        }
    }

    private long SumAbsences(WorkingSolution solution)
    {
        long sum = 0;
        foreach (var r in solution.Absent)
        {
            sum += _absences[r];
        }

        return sum;
    }

    // The smaller of two random routes goes: small routes are the cheapest to spread over the others.
    private bool TakeRouteOut(WorkingSolution solution)
    {
        var used = solution.Routes.Where(r => !r.IsEmpty && r.FirstFree == 1).ToArray();
        if (used.Length <= 1)
        {
            return false;
        }

        var a = used[rng.Next(used.Length)];
        var b = used[rng.Next(used.Length)];
        var victim = a.StopCount <= b.StopCount ? a : b;
        _taken.Clear();
        for (var k = 1; k < victim.Count - 1; k++)
        {
            var r = problem.RequestOf[victim.Nodes[k]];
            if (!_taken.Contains(r))
            {
                _taken.Add(r);
            }
        }

        solution.Remove(_taken, _flags);
        for (var v = 0; v < _allowed.Length; v++)
        {
            _allowed[v] = !solution.Routes[v].IsEmpty;
        }

        return true;
    }
}
