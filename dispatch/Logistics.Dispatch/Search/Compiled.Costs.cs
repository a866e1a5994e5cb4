using Logistics.Dispatch.Model;

namespace Logistics.Dispatch.Search;

internal sealed partial class Compiled
{
    /// <summary>In the hierarchical objective a vehicle costs more than any total distance can.</summary>
    public const long VehiclePrice = 1L << 44;

    private (int[][] Costs, double Scale) BuildCosts(ProblemData problem)
    {
        var hierarchical = problem.Objective is Objective.VehiclesThenDistance;
        var classes = new List<(int Profile, double PerDistance, double PerTime)>();
        for (var v = 0; v < VehicleCount; v++)
        {
            var vehicle = problem.Vehicles[v];
            var costs = vehicle.CostsOrDefault;
            var key = hierarchical ? (0, 1.0, 0.0) : (vehicle.Profile, costs.PerDistance, costs.PerTime);
            var index = classes.IndexOf(key);
            if (index < 0)
            {
                index = classes.Count;
                classes.Add(key);
            }

            CostClass[v] = index;
        }

        var n = Locations;
        double Arc(int c, int a, int b) =>
            (classes[c].PerDistance * problem.Travel.Distance(a, b)) + (classes[c].PerTime * problem.Travel.Duration(classes[c].Profile, a, b));
        var max = 0.0;
        for (var c = 0; c < classes.Count; c++)
        {
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    max = Math.Max(max, Arc(c, a, b));
                }
            }
        }

        var scale = 1e4;
        while (scale > 1e-3 && max * scale > 1e9)
        {
            scale /= 10;
        }

        var matrices = new int[classes.Count][];
        for (var c = 0; c < classes.Count; c++)
        {
            var row = matrices[c] = new int[n * n];
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    row[(a * n) + b] = (int)Math.Round(Arc(c, a, b) * scale);
                }
            }
        }

        for (var v = 0; v < VehicleCount; v++)
        {
            Fixed[v] = hierarchical ? VehiclePrice : (long)Math.Round(problem.Vehicles[v].CostsOrDefault.Fixed * scale);
        }

        return (matrices, scale);
    }

    private int[] BuildEmptyGroups()
    {
        var groups = new int[VehicleCount];
        for (var v = 0; v < VehicleCount; v++)
        {
            groups[v] = v;
            if (PrevCount[v] > 0 || FixedHead[v].Length > 0)
            {
                // A vehicle with a previous round is not like any other.
                continue;
            }

            for (var w = 0; w < v; w++)
            {
                if (groups[w] == w && Loc[StartNode(w)] == Loc[StartNode(v)] && Loc[EndNode(w)] == Loc[EndNode(v)]
                    && Open[StartNode(w)] == Open[StartNode(v)] && Close[StartNode(w)] == Close[StartNode(v)]
                    && Cap[w] == Cap[v] && Profile[w] == Profile[v] && CostClass[w] == CostClass[v] && Fixed[w] == Fixed[v]
                    && MaxDuration[w] == MaxDuration[v] && BreakAfter[w] == BreakAfter[v] && BreakLength[w] == BreakLength[v] && PrevCount[w] == 0)
                {
                    groups[v] = w;
                    break;
                }
            }
        }

        return groups;
    }

    // Neighbours by location first (there are far fewer locations than stops in a town), then the stops at
    // each location in turn, up to the cap.
    private int[][] BuildNeighbours()
    {
        const int cap = 100;
        var count = Math.Min(StopCount - 1, cap);
        var stopsAt = new List<int>[Locations];
        for (var s = 0; s < StopCount; s++)
        {
            (stopsAt[Loc[s]] ??= []).Add(s);
        }

        var used = Enumerable.Range(0, Locations).Where(l => stopsAt[l] is not null).ToArray();
        var keys = new double[used.Length];
        var order = new int[used.Length];
        var byLocation = new int[Locations][];
        foreach (var from in used)
        {
            for (var k = 0; k < used.Length; k++)
            {
                order[k] = used[k];
                keys[k] = Problem.Travel.Distance(from, used[k]) + Problem.Travel.Distance(used[k], from);
            }

            Array.Sort(keys, order);
            byLocation[from] = [.. order];
        }

        var result = new int[StopCount][];
        var list = new List<int>(count);
        for (var s = 0; s < StopCount; s++)
        {
            list.Clear();
            foreach (var location in byLocation[Loc[s]])
            {
                foreach (var t in stopsAt[location])
                {
                    if (t != s && list.Count < count)
                    {
                        list.Add(t);
                    }
                }

                if (list.Count >= count)
                {
                    break;
                }
            }

            result[s] = [.. list];
        }

        return result;
    }
}
