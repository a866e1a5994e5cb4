extern alias LockerHost;
extern alias LogisticsApi;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LockerHost::Logistics.Lockers.Host.Board;
using LockerHost::Logistics.Lockers.Host.Configuration;
using Logistics.EventStore.Embedded;
using Logistics.LockerLink;
using LogisticsApi::Logistics.Api.Hosting;

namespace Logistics.Perf.LockerBoard;

/// <summary>
/// A board back after a long outage: <c>events</c> journalled while offline (door cycles: pulse, opened, closed,
/// across its compartments), then the link comes up and the real core — API, gateway, event store on a private
/// durable PostgreSQL — stores, applies and acknowledges them. Timed from the link's start to the last ack.
/// </summary>
internal static class BacklogDrain
{
    private const string OperatorKey = "lg_operator_PERFPERFPERFPERFPERFPERFPERFPERF";

    public static async Task<TimeSpan> MeasureAsync(string folder, int events, TextWriter progress)
    {
        await using var database = await EmbeddedPostgres.StartAsync(Path.Combine(folder, "pg"), new EmbeddedPostgresOptions { Durable = true });
        await database.CreateDatabaseAsync("logistics");
        var core = await LogisticsApp.BuildAsync(new LogisticsOptions
        {
            ConnectionString = database.ConnectionString("logistics"),
            Urls = "http://127.0.0.1:0",
            OperatorKey = OperatorKey,
            KeyEncryptionKeys = Logistics.EventStore.PersonalData.KeyEncryptionKeys.Parse(Logistics.EventStore.PersonalData.KeyEncryptionKeys.NewBase64()),
            ErasureLedger = Path.Combine(folder, "erasures.ledger"),
        });
        await core.StartAsync();
        try
        {
            var coreUrl = new Uri(core.Urls.First());
            using var op = new HttpClient { BaseAddress = coreUrl };
            op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
            var corePem = await op.GetStringAsync("/api/lockers/core-public-key");

            // The locker is registered with its board's key, as an operator would do it.
            var probe = LockerConfig.SimulatedDemo("unused", 6, Path.Combine(folder, "board"), coreUrl);
            var devicePem = LockerApp.PrepareKeys(probe, corePem);
            var registered = await op.PostAsJsonAsync("/api/lockers", new
            {
                name = "Consigne perf",
                address = "Place de la Mairie",
                latitude = 47.41,
                longitude = 0.98,
                devicePublicKey = devicePem,
                compartments = Enumerable.Range(1, 6).Select(n => new { number = n, size = "S", lowHeight = false }),
            });
            registered.EnsureSuccessStatusCode();
            var lockerId = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var config = probe with { DeviceId = lockerId };

            using var board = LockerApp.Start(config, simulated: true, TimeProvider.System, _ => { });
            var fill = Stopwatch.StartNew();
            for (var i = 0; board.Journal.LastSeq < events; i++)
            {
                var compartment = (i % 6) + 1;
                var cause = new UnlockCause(UnlockKind.RemoteOpen, $"perf-{i}");
                DevicePayload payload = (i % 3) switch
                {
                    0 => new DevicePayload.PulseSent(compartment, 1, 40, cause),
                    1 => new DevicePayload.DoorOpened(compartment, true, cause),
                    _ => new DevicePayload.DoorClosed(compartment, 2000),
                };
                board.Journal.Write(w => w.Append(payload));
            }

            await progress.WriteLineAsync($"journalled {board.Journal.LastSeq} events offline in {fill.Elapsed.TotalSeconds:F1} s; connecting");
            using var stop = new CancellationTokenSource();
            var drain = Stopwatch.StartNew();
            var link = board.Link!.RunAsync(stop.Token);
            var lastReport = TimeSpan.Zero;
            while (board.Journal.AckedSeq < board.Journal.LastSeq)
            {
                await Task.Delay(10);
                if (drain.Elapsed - lastReport > TimeSpan.FromSeconds(5))
                {
                    lastReport = drain.Elapsed;
                    await progress.WriteLineAsync($"  {drain.Elapsed.TotalSeconds:F0} s: core holds {board.Journal.AckedSeq}");
                }

                if (link.IsCompleted)
                {
                    throw new InvalidOperationException("The link stopped.");
                }
            }

            var elapsed = drain.Elapsed;
            await stop.CancelAsync();
            await link;
            return elapsed;
        }
        finally
        {
            await core.StopAsync();
            await core.DisposeAsync();
        }
    }
}
