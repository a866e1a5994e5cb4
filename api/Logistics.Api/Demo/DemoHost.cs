using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Api.Infrastructure;
using Logistics.EventStore.Embedded;

namespace Logistics.Api.Demo;

/// <summary>Runs the demo network: embedded PostgreSQL, schema, seed (first run only), API, and a clean stop on Ctrl-C.</summary>
public static class DemoHost
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string dataDirectory, string urls)
    {
        Directory.CreateDirectory(dataDirectory);
        Console.WriteLine($"Logistics demo — data in {dataDirectory}");
        EmbeddedPostgres database;
        try
        {
            database = await EmbeddedPostgres.StartAsync(Path.Combine(dataDirectory, "pg"), new EmbeddedPostgresOptions { Log = Console.WriteLine });
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"logistics: could not start PostgreSQL: {e.Message}");
            return 1;
        }

        await using (database)
        {
            await database.CreateDatabaseAsync("logistics");
            var credentialsFile = Path.Combine(dataDirectory, "demo-credentials.json");
            var saved = File.Exists(credentialsFile)
                ? JsonSerializer.Deserialize<DemoCredentials>(await File.ReadAllTextAsync(credentialsFile))
                : null;
            var operatorKey = saved?.OperatorKey ?? $"lg_operator_{Base32.Random(32)}";

            var app = await LogisticsApp.BuildAsync(new LogisticsOptions
            {
                ConnectionString = database.ConnectionString("logistics"),
                Urls = urls,
                OperatorKey = operatorKey,
            });

            var seeder = new DemoSeeder(app.Services);
            Console.WriteLine(await seeder.SeedAsync()
                ? "Seeded the demo neighbourhood (Amboise): 12 shops, 3 lockers, 3 couriers, parcels in every state."
                : "Reusing the data of an earlier run.");
            if (saved is null)
            {
                saved = await seeder.IssueKeysAsync(operatorKey);
                await File.WriteAllTextAsync(credentialsFile, JsonSerializer.Serialize(saved, Indented));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(credentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            await app.StartAsync();
            PrintWelcome(urls, saved, credentialsFile);
            await app.WaitForShutdownAsync();
            Console.WriteLine("Stopping: the API is down; stopping PostgreSQL.");
        }

        Console.WriteLine("Stopped cleanly. Run the same command again to continue with the same data.");
        return 0;
    }

    private static void PrintWelcome(string urls, DemoCredentials? keys, string credentialsFile)
    {
        var url = urls.Split(';')[0].TrimEnd('/');
        Console.WriteLine();
        Console.WriteLine($"  API            {url}/api");
        Console.WriteLine($"  Browse the API {url}/docs   (OpenAPI: {url}/openapi/v1.json)");
        Console.WriteLine($"  Health         {url}/health");
        if (keys is not null)
        {
            Console.WriteLine($"  Operator key   {keys.OperatorKey}");
            Console.WriteLine($"  Shop key       {keys.Shops[0].ApiKey}   ({keys.Shops[0].Name}, {keys.Shops[0].Id})");
            Console.WriteLine($"  Courier key    {keys.Couriers[0].ApiKey}   ({keys.Couriers[0].Name}, {keys.Couriers[0].Id})");
            Console.WriteLine($"  All keys are in {Path.GetRelativePath(Environment.CurrentDirectory, credentialsFile)}. Pickup codes appear in this log (the demo's SMS sender).");
            Console.WriteLine($"  Pages          {url}/shop  {url}/courier  {url}/operator  {url}/track/<tracking number>");
            Console.WriteLine();
            Console.WriteLine("  Try:  curl -s -X POST " + url + "/api/parcels -H 'Authorization: Bearer " + keys.Shops[0].ApiKey + "' -H 'Content-Type: application/json' \\");
            Console.WriteLine("          -d '{\"recipient\":{\"name\":\"Ana\",\"phone\":\"+33611223344\"},\"size\":\"S\",\"destination\":{\"kind\":\"locker\",\"lockerId\":\"locker-01\"}}'");
        }

        Console.WriteLine();
        Console.WriteLine("  Press Ctrl-C to stop (PostgreSQL stops with it; data stays in .data/).");
    }
}
