namespace Logistics.Dispatch.Search.Operators;

/// <summary>Spare routes, one per vehicle, for trying a route without a request or with a new tail.</summary>
internal sealed class Scratch(Compiled problem)
{
    private readonly Route?[] _routes = new Route?[problem.VehicleCount];
    private readonly bool[] _flags = new bool[problem.RequestCount];

    public Route For(int vehicle) => _routes[vehicle] ??= new Route(problem, vehicle);

    /// <summary>A copy of the route without the request, in the vehicle's spare route.</summary>
    public Route Without(Route route, int request, int slot = 0)
    {
        var copy = slot == 0 ? For(route.Vehicle) : new Route(problem, route.Vehicle);
        copy.CopyFrom(route);
        _flags[request] = true;
        copy.RemoveFlagged(_flags);
        _flags[request] = false;
        return copy;
    }

    /// <summary>What a route costs in the objective: nothing when empty, its vehicle's price plus its arcs otherwise.</summary>
    public static long Cost(Route route) => route.IsEmpty ? 0 : route.ArcCost + route.Problem.Fixed[route.Vehicle];
}
