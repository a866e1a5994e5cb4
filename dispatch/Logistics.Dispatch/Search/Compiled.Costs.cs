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
            for (var w = 0; w < v; w++)
            {
                if (groups[w] == w && Loc[StartNode(w)] == Loc[StartNode(v)] && Loc[EndNode(w)] == Loc[EndNode(v)]
                    && Open[StartNode(w)] == Open[StartNode(v)] && Close[StartNode(w)] == Close[StartNode(v)]
                    && Cap[w] == Cap[v] && Profile[w] == Profile[v] && CostClass[w] == CostClass[v] && Fixed[w] == Fixed[v])
                {
                    groups[v] = w;
                    break;
                }
            }
        }

        return groups;
    }

    private int[][] BuildNeighbours()
    {
        var count = Math.Min(StopCount - 1, 100);
        var result = new int[StopCount][];
        var keys = new double[StopCount];
        var items = new int[StopCount];
        for (var s = 0; s < StopCount; s++)
        {
            for (var t = 0; t < StopCount; t++)
            {
                items[t] = t;
                keys[t] = t == s ? double.MinValue : Problem.Travel.Distance(Loc[s], Loc[t]) + Problem.Travel.Distance(Loc[t], Loc[s]);
            }

            Array.Sort(keys, items);
            result[s] = items[1..(count + 1)];
        }

        return result;
    }
}
