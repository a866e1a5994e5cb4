namespace Logistics.Dispatch.Model;

/// <summary>What the solver minimises. A closed hierarchy: nothing else can be added outside this file.</summary>
public abstract record Objective
{
    private Objective()
    {
    }

    /// <summary>As in the literature: the number of vehicles first, then the total distance.</summary>
    public sealed record VehiclesThenDistance : Objective;

    /// <summary>The sum over used vehicles of their <see cref="VehicleCosts"/>.</summary>
    public sealed record Cost : Objective;

    public static Objective Hierarchical { get; } = new VehiclesThenDistance();

    public static Objective Priced { get; } = new Cost();
}
