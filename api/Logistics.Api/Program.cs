using Logistics.Api.Hosting;

// The API over a PostgreSQL named by LOGISTICS_DB. The demo (a private PostgreSQL, a seeded neighbourhood, simulated
// lockers) is its own program: dotnet run --project api/Logistics.Demo.
if (args.Contains("--demo"))
{
    Console.Error.WriteLine("logistics: the demo is its own program now: dotnet run --project api/Logistics.Demo");
    return 2;
}

var urls = Argument(args, "--urls") ?? Environment.GetEnvironmentVariable("LOGISTICS_URLS") ?? "http://127.0.0.1:5080";
var connectionString = Environment.GetEnvironmentVariable("LOGISTICS_DB");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("logistics: no database: set LOGISTICS_DB to a PostgreSQL connection string, or run the demo: dotnet run --project api/Logistics.Demo");
    return 2;
}

var app = await LogisticsApp.BuildAsync(new LogisticsOptions
{
    ConnectionString = connectionString,
    Urls = urls,
    OperatorKey = Environment.GetEnvironmentVariable("LOGISTICS_OPERATOR_KEY"),
    // Planning routes on the street graph once one is loaded (schema "streets" of this database by default).
    Planning = new() { StreetSchema = Environment.GetEnvironmentVariable("LOGISTICS_STREETS_SCHEMA") ?? "streets", StreetConnectionString = Environment.GetEnvironmentVariable("LOGISTICS_STREETS_DB") },
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
