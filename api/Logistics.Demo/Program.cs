namespace Logistics.Demo;

/// <summary>
/// The demo network: a private PostgreSQL in .data/ (reused on the next run), a seeded neighbourhood, its lockers as
/// simulated boards, the API on :5080. A named class: hosts that also load the API's Program tell them apart.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var urls = Argument(args, "--urls") ?? Environment.GetEnvironmentVariable("LOGISTICS_URLS") ?? "http://127.0.0.1:5080";
        var dataDirectory = Path.GetFullPath(Argument(args, "--data") ?? ".data");
        var nodes = Argument(args, "--nodes") is { } n ? int.TryParse(n, out var count) && count is >= 1 and <= 4 ? count : -1 : 1;
        if (nodes < 1)
        {
            Console.Error.WriteLine("logistics: --nodes takes 1 to 4 (API nodes behind HAProxy)");
            return Task.FromResult(2);
        }

        return DemoHost.RunAsync(dataDirectory, urls, nodes);
    }

    private static string? Argument(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
