using Logistics.Api.Hosting;
using Logistics.EventStore.Embedded;

namespace Logistics.Demo;

/// <summary>Runs the demo network: embedded PostgreSQL, schema, seed (first run only), API, and a clean stop on Ctrl-C.</summary>
public static class DemoHost
{
    /// <param name="nodes">
    /// API nodes: 1 serves on <paramref name="urls"/>; more run behind HAProxy, which listens on that address while the
    /// nodes take the next ports (5081, 5082…), the boards connecting through it like everyone else.
    /// </param>
    public static async Task<int> RunAsync(string dataDirectory, string urls, int nodes = 1)
    {
        Directory.CreateDirectory(dataDirectory);
        var front = new Uri(urls.Split(';')[0]);
        if (nodes > 1 && LoadBalancer.Executable() is null)
        {
            Console.Error.WriteLine("logistics: --nodes needs HAProxy in front of the nodes: apt-get install haproxy");
            return 1;
        }

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
            var nodeUrls = nodes == 1 ? [urls] : Enumerable.Range(1, nodes).Select(i => $"http://{front.Host}:{front.Port + i}").ToArray();
            var options = new LogisticsOptions { ConnectionString = database.ConnectionString("logistics"), Urls = nodeUrls[0], WebhooksAllowPlainHttp = true };
            await DemoStreets.LoadAsync(options.ConnectionString, Console.WriteLine);
            // HAProxy first: the boards connect through it as soon as the first node serves.
            await using var balancer = nodes == 1 ? null : await LoadBalancer.StartAsync(Path.Combine(dataDirectory, "haproxy"), front.Port, [.. nodeUrls.Select(u => new Uri(u))]);
            await using var network = await DemoNetwork.StartAsync(options, dataDirectory, log: Console.WriteLine, boardsUrl: nodes == 1 ? null : front);
            foreach (var url in nodeUrls.Skip(1))
            {
                await network.StartNodeAsync(url);
            }

            if (balancer is not null)
            {
                Console.WriteLine($"{nodes} API nodes ({string.Join(", ", nodeUrls)}) behind HAProxy on {balancer.Url}: background work runs once across them, each under its lease.");
            }

            if (network.Plan is { } plan)
            {
                Console.WriteLine("Seeded the demo neighbourhood (Amboise): 12 shops, 3 lockers, 3 couriers, parcels in every state.");
                Console.WriteLine($"Planned the morning: {plan.Rounds} rounds for {plan.ParcelsPlanned} parcels ({plan.Unplaced.Count} left for later).");
            }
            else
            {
                Console.WriteLine("Reusing the data of an earlier run.");
            }

            PrintWelcome(network, balancer?.Url.ToString().TrimEnd('/') ?? network.Url);
            await network.App.WaitForShutdownAsync();
            Console.WriteLine("Stopping: the API is down; stopping the lockers' boards and PostgreSQL.");
        }

        Console.WriteLine("Stopped cleanly. Run the same command again to continue with the same data.");
        return 0;
    }

    private static void PrintWelcome(DemoNetwork network, string url)
    {
        var (keys, lockers) = (network.Keys, network.Lockers);
        Console.WriteLine();
        Console.WriteLine($"  API            {url}/api");
        Console.WriteLine($"  Browse the API {url}/docs   (OpenAPI: {url}/openapi/v1.json)");
        Console.WriteLine($"  Health         {url}/health");
        foreach (var role in new[] { "operator", "shop", "courier", "federation" })
        {
            if (keys.People?.FirstOrDefault(p => p.Role == role) is { } person)
            {
                Console.WriteLine($"  Sign in ({role,-8}) {person.Email} / {person.Password}   ({person.Name}) at {url}/{role}");
            }
        }

        Console.WriteLine($"  Operator key   {keys.OperatorKey}   (Amboise, for scripts; people sign in above)");
        if (keys.People?.FirstOrDefault(p => p.Network == DemoSeeder.Chinon) is { } chinon)
        {
            Console.WriteLine($"  Second town    Chinon: sign in {chinon.Email} / {chinon.Password} at {url}/operator   (sees Chinon only)");
        }

        Console.WriteLine($"  Federation key {keys.FederationKey}   (every network side by side: GET {url}/api/networks)");
        Console.WriteLine($"  Shop key       {keys.Shops[0].ApiKey}   ({keys.Shops[0].Name}, {keys.Shops[0].Id})");
        Console.WriteLine($"  All accounts and keys are in {Path.GetRelativePath(Environment.CurrentDirectory, network.CredentialsFile)}. The messages recipients get (with their pickup codes) are at {url}/demo/inbox.");
        Console.WriteLine($"  Pages          {url}/shop  {url}/courier  {url}/operator  {url}/track/<tracking number>");
        Console.WriteLine($"  Web store      the shop page's \"Web store and webhooks\" makes its key; it sends orders to {url}/api/orders (api/README.md)");
        Console.WriteLine($"  Lockers        {string.Join("  ", lockers.Boards.Select(b => url + DemoLockers.PagePath(b.Config.DeviceId)))}   (simulated boards: keypad and doors)");
        Console.WriteLine($"  Releases       signed with {Path.GetRelativePath(Environment.CurrentDirectory, DemoNetwork.ReleaseKeyFile(Path.GetDirectoryName(network.CredentialsFile)!))} (release-pack, lockers/README.md), published in the operator's console");
        Console.WriteLine();
        Console.WriteLine("  Try:  curl -s -X POST " + url + "/api/parcels -H 'Authorization: Bearer " + keys.Shops[0].ApiKey + "' -H 'Content-Type: application/json' \\");
        Console.WriteLine("          -d '{\"recipient\":{\"name\":\"Ana\",\"phone\":\"+33611223344\"},\"size\":\"S\",\"destination\":{\"kind\":\"locker\",\"lockerId\":\"locker-01\"}}'");

        Console.WriteLine();
        Console.WriteLine("  Press Ctrl-C to stop (PostgreSQL stops with it; data stays in .data/).");
    }
}
