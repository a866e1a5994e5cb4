using Logistics.Dispatch.Travel;

namespace Logistics.Dispatch.Model;

/// <summary>
/// The immutable input of <see cref="Solver.Solve"/>: a travel matrix, the stops, the requests that pair them,
/// the fleet, the objective, and for a re-plan the previous plan. Validated here, once, so that the search never meets bad data.
/// </summary>
public sealed partial class ProblemData
{
    public ProblemData(ITravelMatrix travel, IReadOnlyList<Stop> stops, IReadOnlyList<Request> requests, IReadOnlyList<Vehicle> vehicles, Objective? objective = null, PreviousPlan? previous = null)
    {
        ArgumentNullException.ThrowIfNull(travel);
        Travel = travel;
        Stops = [.. stops];
        Requests = [.. requests];
        Vehicles = [.. vehicles];
        Objective = objective ?? Objective.Hierarchical;
        Previous = previous;
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new InvalidProblemException(problems);
        }

        var requestOfStop = new int[Stops.Count];
        for (var r = 0; r < Requests.Count; r++)
        {
            if (Requests[r].Pickup is { } p)
            {
                requestOfStop[p] = r;
            }

            requestOfStop[Requests[r].Delivery] = r;
        }

        RequestOfStop = requestOfStop;
    }

    public ITravelMatrix Travel { get; }

    public IReadOnlyList<Stop> Stops { get; }

    public IReadOnlyList<Request> Requests { get; }

    public IReadOnlyList<Vehicle> Vehicles { get; }

    public Objective Objective { get; }

    /// <summary>The plan this one re-plans, for stable rounds; null plans from scratch.</summary>
    public PreviousPlan? Previous { get; }

    /// <summary>For each stop, the index of the request it belongs to.</summary>
    public IReadOnlyList<int> RequestOfStop { get; }
}
