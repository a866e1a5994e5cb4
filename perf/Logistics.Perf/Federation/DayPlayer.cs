using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Logistics.Lockers.Codes;

namespace Logistics.Perf.Federation;

/// <summary>What the day did, parcel by parcel, as its callers saw it.</summary>
internal sealed class DayTally
{
    public int Registered;
    public int Deposited;
    public int Collected;
    public int LeftToExpire;
    public int CodesRefused;
    public int Stuck;
    public int Retried;

    /// <summary>What a 2xx or a board's acknowledged event promised the store holds: (parcel, event type).</summary>
    public ConcurrentBag<(string Parcel, string Event)> Acknowledged { get; } = [];

    public ConcurrentQueue<string> Problems { get; } = new();
}

/// <summary>
/// Plays the day through the HTTP API as fast as it answers: each parcel registered by its shop, picked up by a courier
/// of its network, deposited in a locker of its network (the core queues the door's opening; the board opens it, the
/// courier shuts it), its code sent to the recipient's phone and provisioned to the board, and typed at the keypad —
/// except one in <c>ExpireOneIn</c> of the first half of the day, left to expire. At <c>InFlight</c> parcels at once;
/// every network plans its rounds at two cut-offs (a third and two thirds of the day); one in <c>LagSampleOneIn</c>
/// registrations is polled until its shop sees it (projection lag); at half the day the given mid-day work runs.
/// </summary>
internal sealed class DayPlayer(DayClient client, CodeInbox inbox, IReadOnlyList<DayNetwork> networks, DayOptions options, Latencies latencies, TextWriter progress)
{
    public const string CommandLatency = "board command: deposit request → door open";
    public const string ProjectionLag = "projection lag: registered → shop sees it";

    private readonly DayTally _tally = new();

    public async Task<DayTally> PlayAsync(Func<Task> midDay)
    {
        var shops = networks.SelectMany(n => n.Shops.Select(s => (Network: n, Shop: s))).ToList();
        var random = new Random(12);
        var order = Enumerable.Range(0, shops.Count).OrderBy(_ => random.Next()).ToArray();
        using var inFlight = new SemaphoreSlim(options.InFlight, options.InFlight);
        var parcels = new List<Task>(options.Parcels);
        var background = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Parcels; i++)
        {
            await inFlight.WaitAsync();
            if (i == options.Parcels / 3 || i == options.Parcels * 2 / 3)
            {
                background.Add(PlanAsync());
            }

            if (i == options.Parcels / 2)
            {
                background.Add(midDay());
            }

            if (i > 0 && i % 2_000 == 0)
            {
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds:F0} s: {i} parcels started, {_tally.Collected} collected"));
            }

            var (network, shop) = shops[order[i % shops.Count]];
            var plan = new ParcelPlan(
                i,
                network,
                shop,
                network.Lockers[random.Next(network.Lockers.Count)],
                network.Couriers[random.Next(network.Couriers.Count)],
                (i % 20) switch { < 16 => "S", < 19 => "M", _ => "L" },
                options.ExpireOneIn > 0 && i < options.Parcels / 2 && i % options.ExpireOneIn == options.ExpireOneIn / 2);
            parcels.Add(Task.Run(async () =>
            {
                try
                {
                    await PlayAsync(plan);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    Interlocked.Increment(ref _tally.Stuck);
                    _tally.Problems.Enqueue($"parcel {plan.Number}: {e.Message}");
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(parcels);
        await Task.WhenAll(background);
        return _tally;
    }

    private sealed record ParcelPlan(int Number, DayNetwork Network, Party Shop, DayBoard Locker, Party Courier, string Size, bool LeftToExpire)
    {
        /// <summary>Every parcel of the day has its own recipient, so a phone names a parcel.</summary>
        public string Phone => string.Create(CultureInfo.InvariantCulture, $"+336{10_000_000 + Number}");
    }

    private async Task PlayAsync(ParcelPlan p)
    {
        var registered = await client.SendAsync("POST /api/parcels", HttpMethod.Post, "/api/parcels", p.Shop.Key, new
        {
            recipient = new { name = $"Client {p.Number}", phone = p.Phone },
            size = p.Size,
            destination = new { kind = "locker", lockerId = p.Locker.Id },
        });
        if (registered is not { } answer)
        {
            return;
        }

        var answered = Stopwatch.GetTimestamp();
        var parcel = answer.GetProperty("parcelId").GetString()!;
        Interlocked.Increment(ref _tally.Registered);
        _tally.Acknowledged.Add((parcel, "ParcelRegistered"));
        if (options.LagSampleOneIn > 0 && p.Number % options.LagSampleOneIn == 0)
        {
            await LagAsync(parcel, p.Shop.Key, answered);
        }

        if (await client.SendAsync("POST /api/parcels/{id}/pickup", HttpMethod.Post, $"/api/parcels/{parcel}/pickup", p.Courier.Key) is null)
        {
            return;
        }

        _tally.Acknowledged.Add((parcel, "ParcelPickedUp"));
        var asked = Stopwatch.GetTimestamp();
        if (await client.SendAsync("POST /api/parcels/{id}/deposit", HttpMethod.Post, $"/api/parcels/{parcel}/deposit", p.Courier.Key) is not { } deposit)
        {
            return;
        }

        _tally.Acknowledged.Add((parcel, "ParcelDeposited"));
        Interlocked.Increment(ref _tally.Deposited);
        var compartment = deposit.GetProperty("compartment").GetInt32();
        var opened = await p.Locker.DepositOpened(parcel).WaitAsync(TimeSpan.FromSeconds(60));
        latencies.Add(CommandLatency, Stopwatch.GetElapsedTime(asked, opened).TotalMilliseconds);
        if (p.LeftToExpire)
        {
            Interlocked.Increment(ref _tally.LeftToExpire);
            return;
        }

        var code = await inbox.CodeFor(p.Phone).WaitAsync(TimeSpan.FromSeconds(60));
        await p.Locker.Provisioned(parcel).WaitAsync(TimeSpan.FromSeconds(60));
        var check = await p.Locker.TypeCodeAsync(compartment, code);
        if (check is CodeCheck.Accepted)
        {
            Interlocked.Increment(ref _tally.Collected);
            // The board journalled the collection; once the core acknowledges it, the store must hold it.
            _tally.Acknowledged.Add((parcel, "ParcelCollected"));
        }
        else
        {
            Interlocked.Increment(ref _tally.CodesRefused);
            _tally.Problems.Enqueue($"parcel {parcel}: the keypad answered {check}");
        }
    }

    private async Task LagAsync(string parcel, string shopKey, long answered)
    {
        while (await client.SendAsync("GET /api/parcels/{id}", HttpMethod.Get, $"/api/parcels/{parcel}", shopKey, expected404: true) is null)
        {
            if (Stopwatch.GetElapsedTime(answered) > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"the shop never saw parcel {parcel}");
            }

            await Task.Delay(10);
        }

        latencies.Add(ProjectionLag, Stopwatch.GetElapsedTime(answered).TotalMilliseconds);
    }

    /// <summary>A cut-off: every network's operator plans its rounds, two networks at a time.</summary>
    private Task PlanAsync() =>
        Parallel.ForEachAsync(networks, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (network, _) =>
            await client.SendAsync("POST /api/planning/run", HttpMethod.Post, "/api/planning/run", network.Operator.Key));
}
