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
        return DemoHost.RunAsync(dataDirectory, urls);
    }

    private static string? Argument(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
