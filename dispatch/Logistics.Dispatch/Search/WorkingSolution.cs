namespace Logistics.Dispatch.Search;

/// <summary>
/// The mutable solution the search works on: one route per vehicle (most may be empty), where each request is,
/// and the requests currently left out. Compared by (requests left out, cost): a solution that drops a request
/// is worse than any that serves it.
/// </summary>
internal sealed class WorkingSolution
{
    public WorkingSolution(Compiled problem)
    {
        Problem = problem;
        Routes = new Route[problem.VehicleCount];
        for (var v = 0; v < Routes.Length; v++)
        {
            Routes[v] = new Route(problem, v);
        }

        RouteOf = new int[problem.RequestCount];
        Array.Fill(RouteOf, -1);
        for (var v = 0; v < Routes.Length; v++)
        {
            foreach (var node in problem.FixedHead[v])
            {
                RouteOf[problem.RequestOf[node]] = v;
            }
        }
    }

    public Compiled Problem { get; }

    public Route[] Routes { get; }

    public int[] RouteOf { get; }

    public List<int> Absent { get; } = [];

    public long Cost
    {
        get
        {
            long cost = 0;
            foreach (var route in Routes)
            {
                cost += route.Penalty;
                if (!route.IsEmpty)
                {
                    cost += route.ArcCost + Problem.Fixed[route.Vehicle];
                }
            }

            return cost;
        }
    }

    public int UsedVehicles => Routes.Count(r => !r.IsEmpty);

    public bool IsBetterThan(WorkingSolution other) =>
        Absent.Count < other.Absent.Count || (Absent.Count == other.Absent.Count && Cost < other.Cost);

    public void CopyFrom(WorkingSolution other)
    {
        for (var v = 0; v < Routes.Length; v++)
        {
            Routes[v].CopyFrom(other.Routes[v]);
        }

        Array.Copy(other.RouteOf, RouteOf, RouteOf.Length);
        Absent.Clear();
        Absent.AddRange(other.Absent);
    }

    public WorkingSolution Clone()
    {
        var copy = new WorkingSolution(Problem);
        copy.CopyFrom(this);
        return copy;
    }

    public void Apply(int request, in Insertion insertion)
    {
        var c = Problem;
        var route = Routes[insertion.Vehicle];
        if (insertion.Second < 0)
        {
            route.InsertOne(insertion.First, c.Delivery[request]);
        }
        else
        {
            route.InsertPair(insertion.First, c.Pickup[request], insertion.Second, c.Delivery[request]);
        }

        RouteOf[request] = insertion.Vehicle;
    }

    /// <summary>Takes the flagged requests out of their routes and onto the absent list (in the order given).</summary>
    public void Remove(List<int> requests, bool[] flags)
    {
        foreach (var r in requests)
        {
            flags[r] = true;
        }

        Span<bool> touched = Routes.Length <= 512 ? stackalloc bool[Routes.Length] : new bool[Routes.Length];
        foreach (var r in requests)
        {
            var v = RouteOf[r];
            if (v >= 0 && !touched[v])
            {
                touched[v] = true;
                Routes[v].RemoveFlagged(flags);
            }
        }

        foreach (var r in requests)
        {
            flags[r] = false;
            if (RouteOf[r] >= 0)
            {
                RouteOf[r] = -1;
                Absent.Add(r);
            }
        }
    }
}
