using Logistics.Api.Hosting;
using Logistics.EventStore.Embedded;

namespace Logistics.Demo;

/// <summary>Runs the demo network: embedded PostgreSQL, schema, seed (first run only), API, and a clean stop on Ctrl-C.</summary>
public static class DemoHost
{
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
            // The demo's web stores may point their webhooks at a receiver on this machine, over http.
            var options = new LogisticsOptions { ConnectionString = database.ConnectionString("logistics"), Urls = urls, WebhooksAllowPlainHttp = true };
            await DemoStreets.LoadAsync(options.ConnectionString, Console.WriteLine);
            await using var network = await DemoNetwork.StartAsync(options, dataDirectory, log: Console.WriteLine);
            if (network.Plan is { } plan)
            {
                Console.WriteLine("Seeded the demo neighbourhood (Amboise): 12 shops, 3 lockers, 3 couriers, parcels in every state.");
                Console.WriteLine($"Planned the morning: {plan.Rounds} rounds for {plan.ParcelsPlanned} parcels ({plan.Unplaced.Count} left for later).");
            }
            else
            {
                Console.WriteLine("Reusing the data of an earlier run.");
            }

            PrintWelcome(network);
            await network.App.WaitForShutdownAsync();
            Console.WriteLine("Stopping: the API is down; stopping the lockers' boards and PostgreSQL.");
        }

        Console.WriteLine("Stopped cleanly. Run the same command again to continue with the same data.");
        return 0;
    }

    private static void PrintWelcome(DemoNetwork network)
    {
        var (url, keys, lockers) = (network.Url, network.Keys, network.Lockers);
        Console.WriteLine();
        Console.WriteLine($"  API            {url}/api");
        Console.WriteLine($"  Browse the API {url}/docs   (OpenAPI: {url}/openapi/v1.json)");
        Console.WriteLine($"  Health         {url}/health");
        foreach (var role in new[] { "operator", "shop", "courier" })
        {
            if (keys.People?.FirstOrDefault(p => p.Role == role) is { } person)
            {
                Console.WriteLine($"  Sign in ({role,-8}) {person.Email} / {person.Password}   ({person.Name}) at {url}/{role}");
            }
        }

        Console.WriteLine($"  Operator key   {keys.OperatorKey}   (for scripts; people sign in above)");
        Console.WriteLine($"  Shop key       {keys.Shops[0].ApiKey}   ({keys.Shops[0].Name}, {keys.Shops[0].Id})");
        Console.WriteLine($"  All accounts and keys are in {Path.GetRelativePath(Environment.CurrentDirectory, network.CredentialsFile)}. The messages recipients get (with their pickup codes) are at {network.Url}/demo/inbox.");
        Console.WriteLine($"  Pages          {url}/shop  {url}/courier  {url}/operator  {url}/track/<tracking number>");
        Console.WriteLine($"  Web store      the shop page's \"Web store and webhooks\" makes its key; it sends orders to {url}/api/orders (api/README.md)");
        Console.WriteLine($"  Lockers        {string.Join("  ", lockers.Boards.Select(b => url + DemoLockers.PagePath(b.Config.DeviceId)))}   (simulated boards: keypad and doors)");
        Console.WriteLine();
        Console.WriteLine("  Try:  curl -s -X POST " + url + "/api/parcels -H 'Authorization: Bearer " + keys.Shops[0].ApiKey + "' -H 'Content-Type: application/json' \\");
        Console.WriteLine("          -d '{\"recipient\":{\"name\":\"Ana\",\"phone\":\"+33611223344\"},\"size\":\"S\",\"destination\":{\"kind\":\"locker\",\"lockerId\":\"locker-01\"}}'");

        Console.WriteLine();
        Console.WriteLine("  Press Ctrl-C to stop (PostgreSQL stops with it; data stays in .data/).");
    }
}
