using System.Globalization;
using System.Net;

namespace Logistics.Perf.Federation;

/// <summary>A shop, courier or network operator: its id and API key.</summary>
internal sealed record Party(string Id, string Key);

/// <summary>One network (an association or a town): its operator, shops, lockers' boards and couriers.</summary>
internal sealed record DayNetwork(string Id, Party Operator, IReadOnlyList<Party> Shops, IReadOnlyList<DayBoard> Lockers, IReadOnlyList<Party> Couriers);

/// <summary>
/// The département built as a federation would, through the API: the federation operator creates each network, whose
/// own operator registers its shops, couriers and lockers (each with its board's device key), the boards started on
/// the simulated hardware. Shops, lockers and couriers are shared out evenly between the networks.
/// </summary>
internal static class Departement
{
    public static async Task<IReadOnlyList<DayNetwork>> BuildAsync(DayClient client, string federationKey, DayOptions options, string corePublicKeyPem, Uri boardsUrl, string boardsFolder)
    {
        var networks = new DayNetwork[options.Networks];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Networks), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"n{n + 1:00}");
            var created = await client.SendAsync("POST /api/networks", HttpMethod.Post, "/api/networks", federationKey, new { id, name = $"Commerçants {n + 1}" })
                ?? throw new InvalidOperationException($"network {id} could not be created");
            var op = new Party(id, created.GetProperty("operatorKey").GetString()!);
            // The network's town: spread over the département, around Marseille.
            var (lat, lon) = (43.2 + (n % 7 * 0.08), 5.0 + (n / 7 * 0.1));

            var shops = new List<Party>();
            foreach (var s in Share(options.Shops, options.Networks, n))
            {
                shops.Add(await RegisterAsync(client, "/api/shops", op.Key, new { name = $"Boutique {s}", address = $"{s} rue de la République", latitude = lat + (s % 13 * 0.001), longitude = lon + (s % 11 * 0.001) }));
            }

            var couriers = new List<Party>();
            foreach (var c in Share(options.Couriers, options.Networks, n))
            {
                couriers.Add(await RegisterAsync(client, "/api/couriers", op.Key, c % 2 == 0
                    ? new { name = $"Coursier {c}", vehicle = "CargoBike", capacityUnits = 24 }
                    : new { name = $"Coursier {c}", vehicle = "Van", capacityUnits = 100 }));
            }

            var lockers = new List<DayBoard>();
            foreach (var l in Share(options.Lockers, options.Networks, n))
            {
                // Each board connects from its own loopback address, as boards each come from their own.
                var from = new IPAddress([127, 0, (byte)(1 + (l / 250)), (byte)(2 + (l % 250))]);
                lockers.Add(await DayBoard.StartAsync(Path.Combine(boardsFolder, $"locker-{l}"), options.Compartments, corePublicKeyPem, boardsUrl, from, async devicePem =>
                    (await RegisterAsync(client, "/api/lockers", op.Key, new
                    {
                        name = $"Consigne {l}",
                        address = $"Place {l}",
                        latitude = lat + (l % 5 * 0.002),
                        longitude = lon - (l % 3 * 0.002),
                        devicePublicKey = devicePem,
                        compartments = Enumerable.Range(1, options.Compartments).Select(c => new { number = c, size = Size(c, options.Compartments), lowHeight = c % 6 == 0 }),
                    })).Id));
            }

            networks[n] = new DayNetwork(id, op, shops, lockers, couriers);
        });
        return networks;
    }

    /// <summary>Two thirds of a locker's compartments are small, a quarter medium, the rest large.</summary>
    private static string Size(int number, int compartments) =>
        number <= compartments * 2 / 3 ? "S" : number <= compartments * 11 / 12 ? "M" : "L";

    /// <summary>The global numbers (from 0) of the <paramref name="total"/> things that network <paramref name="n"/> gets.</summary>
    private static IEnumerable<int> Share(int total, int networks, int n) =>
        Enumerable.Range(0, total).Where(i => i % networks == n);

    private static async Task<Party> RegisterAsync(DayClient client, string path, string operatorKey, object body)
    {
        var registered = await client.SendAsync("POST " + path, HttpMethod.Post, path, operatorKey, body)
            ?? throw new InvalidOperationException($"POST {path} failed");
        return new Party(registered.GetProperty("id").GetString()!, registered.GetProperty("apiKey").GetString()!);
    }
}
