using System.Globalization;

namespace Logistics.Perf.Federation;

/// <summary>
/// The département and its day: <c>--networks N</c> (46), <c>--shops N</c> (2100), <c>--lockers N</c> (300),
/// <c>--couriers N</c> (150), <c>--parcels N</c> (20000), <c>--compartments N</c> (24 a locker), <c>--clients N</c>
/// (32 requests at once), <c>--in-flight N</c> (256 parcels under way at once), <c>--nodes 1,2</c> (the runs).
/// </summary>
internal sealed record DayOptions
{
    public int Networks { get; init; } = 46;

    public int Shops { get; init; } = 2_100;

    public int Lockers { get; init; } = 300;

    public int Couriers { get; init; } = 150;

    public int Parcels { get; init; } = 20_000;

    public int Compartments { get; init; } = 24;

    public int Clients { get; init; } = 32;

    public int InFlight { get; init; } = 256;

    public IReadOnlyList<int> Nodes { get; init; } = [1, 2];

    /// <summary>One parcel in this many, in the first half of the day, is never collected and expires.</summary>
    public int ExpireOneIn { get; init; } = 20;

    /// <summary>One parcel in this many has its registration polled until the shop sees it (projection lag).</summary>
    public int LagSampleOneIn { get; init; } = 10;

    /// <summary>The collect-by window: short, so the day's uncollected parcels expire while it is played.</summary>
    public TimeSpan CollectWithin { get; init; } = TimeSpan.FromSeconds(90);

    public static DayOptions Parse(string[] args)
    {
        int Option(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        var defaults = new DayOptions();
        var nodes = Array.IndexOf(args, "--nodes") is var n and >= 0 && n + 1 < args.Length
            ? args[n + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : defaults.Nodes;
        var options = new DayOptions
        {
            Networks = Option("--networks", defaults.Networks),
            Shops = Option("--shops", defaults.Shops),
            Lockers = Option("--lockers", defaults.Lockers),
            Couriers = Option("--couriers", defaults.Couriers),
            Parcels = Option("--parcels", defaults.Parcels),
            Compartments = Option("--compartments", defaults.Compartments),
            Clients = Option("--clients", defaults.Clients),
            InFlight = Option("--in-flight", defaults.InFlight),
            ExpireOneIn = Option("--expire-one-in", defaults.ExpireOneIn),
            LagSampleOneIn = Option("--lag-one-in", defaults.LagSampleOneIn),
            CollectWithin = TimeSpan.FromSeconds(Option("--collect-within-s", (int)defaults.CollectWithin.TotalSeconds)),
            Nodes = nodes,
        };
        if (options.Shops < options.Networks || options.Lockers < options.Networks || options.Couriers < options.Networks)
        {
            throw new ArgumentException("Every network needs at least one shop, one locker and one courier.");
        }

        return options;
    }
}
