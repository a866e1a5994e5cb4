namespace Logistics.Dispatch.Streets;

/// <summary>How a vehicle uses the streets.</summary>
public enum StreetMode
{
    /// <summary>A cargo bike: honours one-way streets; pedestrian streets and cycleways open; footways, steps, motorways closed.</summary>
    Bike,

    /// <summary>A van: honours one-way streets; pedestrian streets only when <see cref="StreetRules.PedestrianStreets"/>; footways, paths, steps, cycleways closed.</summary>
    Van,

    /// <summary>On foot: both directions of every street; motorways, trunk roads and cycleways closed.</summary>
    Foot,
}

/// <summary>A travel profile's access rules on the street graph: its mode, and whether pedestrian streets are open to it.</summary>
public sealed record StreetRules(StreetMode Mode, bool PedestrianStreets)
{
    /// <summary>
    /// The rules for the profile names the core uses. A van inside a town's delivery hours is the "van (delivery hours)"
    /// profile: pedestrian streets open. Which hours those are is the solver's business (a stop's access hours).
    /// </summary>
    public static IReadOnlyDictionary<string, StreetRules> Defaults { get; } = new Dictionary<string, StreetRules>(StringComparer.OrdinalIgnoreCase)
    {
        ["cargo bike"] = new(StreetMode.Bike, true),
        ["bike"] = new(StreetMode.Bike, true),
        ["van"] = new(StreetMode.Van, false),
        ["van (delivery hours)"] = new(StreetMode.Van, true),
        ["on foot"] = new(StreetMode.Foot, true),
        ["foot"] = new(StreetMode.Foot, true),
    };
}
