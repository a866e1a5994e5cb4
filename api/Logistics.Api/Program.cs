using Logistics.Api.Demo;
using Logistics.Api.Hosting;

// `--demo`: a private PostgreSQL in .data/ (reused on the next run), a seeded neighbourhood, the API on :5080.
// Otherwise: LOGISTICS_DB (a connection string) names the database.
var demo = args.Contains("--demo");
var urls = Argument(args, "--urls") ?? Environment.GetEnvironmentVariable("LOGISTICS_URLS") ?? "http://127.0.0.1:5080";
var dataDirectory = Path.GetFullPath(Argument(args, "--data") ?? ".data");

if (demo)
{
    return await DemoHost.RunAsync(dataDirectory, urls);
}

var connectionString = Environment.GetEnvironmentVariable("LOGISTICS_DB");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("logistics: no database: set LOGISTICS_DB to a PostgreSQL connection string, or run with --demo for a private one.");
    return 2;
}

var app = await LogisticsApp.BuildAsync(new LogisticsOptions
{
    ConnectionString = connectionString,
    Urls = urls,
    OperatorKey = Environment.GetEnvironmentVariable("LOGISTICS_OPERATOR_KEY"),
});
await app.RunAsync();
return 0;

static string? Argument(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Lets tests start the host in-process.</summary>
public partial class Program;
