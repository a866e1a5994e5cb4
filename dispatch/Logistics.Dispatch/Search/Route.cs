namespace Logistics.Dispatch.Search;

/// <summary>
/// One vehicle's route with the arrays that make an insertion check O(1) per position (Savelsbergh's forward
/// earliest start and backward latest start). Position 0 is the vehicle's start node, Count-1 its end node.
/// Load[k] is the load after serving position k; depot deliveries are on board from the start.
/// </summary>
internal sealed class Route
{
    public Route(Compiled problem, int vehicle)
    {
        Problem = problem;
        Vehicle = vehicle;
        var size = problem.StopCount + 2;
        Nodes = new int[size];
        Est = new long[size];
        Lst = new long[size];
        Load = new int[size];
        Nodes[0] = problem.StartNode(vehicle);
        var head = problem.FixedHead[vehicle];
        head.CopyTo(Nodes, 1);
        Nodes[head.Length + 1] = problem.EndNode(vehicle);
        Count = head.Length + 2;
        FirstFree = problem.FixedCount[vehicle] + 1;
        Recompute();
    }

    public Compiled Problem { get; }

    public int Vehicle { get; }

    public int Count { get; private set; }

    public int[] Nodes { get; }

    public long[] Est { get; }

    public long[] Lst { get; }

    public int[] Load { get; }

    /// <summary>Sum of arc costs (the vehicle's fixed price is added by the solution).</summary>
    public long ArcCost { get; private set; }

    public bool Feasible { get; private set; }

    /// <summary>The first position an insertion may use: after the fixed head of a started round.</summary>
    public int FirstFree { get; }

    /// <summary>Costs beyond the arcs: lateness, moves away from the previous plan, changes over a started round's allowance.</summary>
    public long Penalty { get; private set; }

    /// <summary>The price of lateness on this route (part of <see cref="Penalty"/>).</summary>
    public long LatePenalty { get; private set; }

    /// <summary>Requests added to or taken from this vehicle's previous round.</summary>
    public int Changes { get; private set; }

    /// <summary>Where the break goes: after the stop at this position (0 = before the first stop), or -1.</summary>
    public int BreakAfter { get; private set; } = -1;

    public bool IsEmpty => Count == 2;

    public int StopCount => Count - 2;

    public void CopyFrom(Route other)
    {
        Count = other.Count;
        Array.Copy(other.Nodes, Nodes, Count);
        Array.Copy(other.Est, Est, Count);
        Array.Copy(other.Lst, Lst, Count);
        Array.Copy(other.Load, Load, Count);
        ArcCost = other.ArcCost;
        Feasible = other.Feasible;
        Penalty = other.Penalty;
        LatePenalty = other.LatePenalty;
        Changes = other.Changes;
        BreakAfter = other.BreakAfter;
    }

    /// <summary>Puts two nodes in at their final positions (first &lt; second), then refreshes the arrays.</summary>
    public void InsertPair(int first, int firstNode, int second, int secondNode)
    {
        Array.Copy(Nodes, first, Nodes, first + 1, Count - first);
        Nodes[first] = firstNode;
        Count++;
        Array.Copy(Nodes, second, Nodes, second + 1, Count - second);
        Nodes[second] = secondNode;
        Count++;
        Recompute();
    }

    public void InsertOne(int position, int node)
    {
        Array.Copy(Nodes, position, Nodes, position + 1, Count - position);
        Nodes[position] = node;
        Count++;
        Recompute();
    }

    /// <summary>Drops every stop whose request is flagged, keeping the order of the rest.</summary>
    public void RemoveFlagged(bool[] removedRequest)
    {
        var c = Problem;
        var write = 1;
        for (var k = 1; k < Count - 1; k++)
        {
            var node = Nodes[k];
            if (!removedRequest[c.RequestOf[node]])
            {
                Nodes[write++] = node;
            }
        }

        Nodes[write++] = Nodes[Count - 1];
        Count = write;
        Recompute();
    }

    public void Replace(ReadOnlySpan<int> stops)
    {
        var end = Nodes[Count - 1];
        stops.CopyTo(Nodes.AsSpan(1));
        Count = stops.Length + 2;
        Nodes[Count - 1] = end;
        Recompute();
    }

    /// <summary>For a candidate that breaks a rule the arrays do not see (a request on a vehicle it may not use).</summary>
    public void MarkInfeasible() => Feasible = false;

    public void Recompute()
    {
        var c = Problem;
        var time = c.Time[c.Profile[Vehicle]];
        var arc = c.ArcCost[c.CostClass[Vehicle]];
        var n = c.Locations;
        var startLoad = 0;
        for (var k = 1; k < Count - 1; k++)
        {
            var r = c.RequestOf[Nodes[k]];
            if (c.Pickup[r] < 0)
            {
                startLoad += c.Demand[r];
            }
        }

        var feasible = startLoad <= c.Cap[Vehicle];
        Load[0] = startLoad;
        Est[0] = c.Open[Nodes[0]];
        long cost = 0;
        for (var k = 1; k < Count; k++)
        {
            int prev = Nodes[k - 1], node = Nodes[k];
            var leg = (c.Loc[prev] * n) + c.Loc[node];
            Est[k] = Math.Max(c.Open[node], Est[k - 1] + c.Service[prev] + time[leg]);
            cost += arc[leg];
            var load = Load[k - 1];
            if (node < c.StopCount)
            {
                var r = c.RequestOf[node];
                load += c.Pickup[r] == node ? c.Demand[r] : -c.Demand[r];
            }

            Load[k] = load;
            feasible &= load <= c.Cap[Vehicle] && Est[k] <= c.Close[node];
        }

        Lst[Count - 1] = c.Close[Nodes[Count - 1]];
        for (var k = Count - 2; k >= 0; k--)
        {
            int node = Nodes[k], next = Nodes[k + 1];
            Lst[k] = Math.Min(c.Close[node], Lst[k + 1] - c.Service[node] - time[(c.Loc[node] * n) + c.Loc[next]]);
        }

        ArcCost = cost;
        Penalty = 0;
        LatePenalty = 0;
        BreakAfter = -1;
        if (c.NeedsWalk[Vehicle] && Count > 2)
        {
            var walk = RouteWalk.Walk(c, Vehicle, Nodes.AsSpan(0, Count));
            feasible &= walk.Feasible;
            LatePenalty = Penalty = walk.Feasible ? walk.Late : 0;
            BreakAfter = walk.BreakAfter;
        }

        if (c.Problem.Previous is not null)
        {
            Penalty += Stability(c);
        }

        Feasible = feasible;
    }

    // Moves away from the previous plan are priced; a started round over its allowance of changes costs more than any plan.
    private long Stability(Compiled c)
    {
        int kept = 0, added = 0;
        long moved = 0;
        for (var k = 1; k < Count - 1; k++)
        {
            var node = Nodes[k];
            var r = c.RequestOf[node];
            if (node != c.Delivery[r])
            {
                continue;
            }

            var previous = c.PrevVehicle[r];
            if (previous == Vehicle)
            {
                kept++;
            }
            else
            {
                added++;
                moved += previous >= 0 ? c.MoveCost : 0;
            }
        }

        Changes = added + c.PrevCount[Vehicle] - kept;
        return moved + (c.Started[Vehicle] && Changes > c.MaxChanges ? (Changes - c.MaxChanges) * Compiled.ExcessChangePrice : 0);
    }
}
