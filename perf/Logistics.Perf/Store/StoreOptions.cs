using System.Globalization;

namespace Logistics.Perf.Store;

/// <summary>Options of the store runner: <c>--seconds</c> per round, <c>--rounds</c>, <c>--writers</c>, <c>--explore</c>.</summary>
internal sealed record StoreOptions(double SecondsPerRound, int Rounds, IReadOnlyList<int> Writers, int AppendsPerStream, bool Explore)
{
    // 3 writer counts x 5 variants x 5 rounds x 2 s = 150 s of measurement: the whole run stays under ~4 minutes.
    public static StoreOptions Default { get; } = new(2.0, 5, [1, 8, 32], 10, false);

    public TimeSpan Round => TimeSpan.FromSeconds(SecondsPerRound);

    public static StoreOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seconds":
                    options = options with { SecondsPerRound = Positive(double.Parse(Required(args[i], value), CultureInfo.InvariantCulture), args[i]) };
                    i++;
                    break;
                case "--rounds":
                    options = options with { Rounds = (int)Positive(int.Parse(Required(args[i], value), CultureInfo.InvariantCulture), args[i]) };
                    i++;
                    break;
                case "--writers":
                    options = options with
                    {
                        Writers = [.. Required(args[i], value).Split(',').Select(w => (int)Positive(int.Parse(w, CultureInfo.InvariantCulture), "--writers")).Distinct().Order()],
                    };
                    i++;
                    break;
                case "--stream-length":
                    options = options with { AppendsPerStream = (int)Positive(int.Parse(Required(args[i], value), CultureInfo.InvariantCulture), args[i]) };
                    i++;
                    break;
                case "--explore":
                    options = options with { Explore = true };
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown option '{args[i]}'. Options: --seconds <per round> --rounds <n> --writers 1,8,32 --stream-length <appends> --explore");
            }
        }

        return options;
    }

    private static string Required(string option, string? value) =>
        value ?? throw new ArgumentException($"{option} needs a value.");

    private static double Positive(double value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be positive.");
}
