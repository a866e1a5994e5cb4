using System.Net.Http.Headers;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Notifications;
using Logistics.Demo;
using Logistics.Testing;
using Logistics.Testing.Core;

namespace Logistics.Web.Tests.Support;

/// <summary>
/// What the README's run command runs — the seeded neighbourhood, the morning's rounds, the lockers as simulated
/// boards (the real board program) connected over their WebSocket, their pages — on a fresh database of the test's
/// PostgreSQL and a loopback port, with the SMS/e-mail boundary captured.
/// </summary>
public sealed class DemoServer : IAsyncDisposable
{
    public const string OperatorKey = "lg_operator_DEMOTESTDEMOTESTDEMOTESTDEMOTEST";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "lg-demo-" + Guid.NewGuid().ToString("N"));

    public CapturingSender Sms { get; } = new(Channel.Sms);

    public CapturingSender Email { get; } = new(Channel.Email);

    public DemoNetwork Network { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<DemoServer> StartAsync()
    {
        var server = new DemoServer();
        var options = new LogisticsOptions
        {
            ConnectionString = await PostgresServer.CreateDatabaseAsync("demo"),
            // The boards are told where the core is before it starts, so the port is chosen here.
            Urls = $"http://127.0.0.1:{Loopback.FreePort()}",
            OperatorKey = OperatorKey,
            BackgroundWork = true,
            Senders = [server.Sms, server.Email],
            // As the demo host: a shop's system in a test listens on loopback over http.
            WebhooksAllowPlainHttp = true,
        };
        server.Network = await DemoNetwork.StartAsync(options, server._dataDirectory);
        server.BaseAddress = new Uri(server.Network.Url + "/");
        RunningHosts.Add(server.BaseAddress, server.Network.App.Services);
        return server;
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async Task<JsonElement> GetAsync(string path, string key)
    {
        using var client = Client(key);
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A shop's parcel registered by its system, picked up and deposited by the courier: its tracking number and compartment.</summary>
    public async Task<(string Tracking, int Compartment)> DepositedAsync(string shopKey, string courierKey, object parcel)
    {
        using var shop = Client(shopKey);
        var registered = await TestCore.ReadAsync<JsonElement>(await shop.PostJsonAsync("/api/parcels", parcel));
        return (registered.GetProperty("trackingId").GetString()!, await PickedUpAndDepositedAsync(courierKey, registered.GetProperty("parcelId").GetString()!));
    }

    /// <summary>The courier picks the parcel up and deposits it: the compartment the core answers.</summary>
    public async Task<int> PickedUpAndDepositedAsync(string courierKey, string parcelId)
    {
        using var courier = Client(courierKey);
        await (await courier.PostJsonAsync($"/api/parcels/{parcelId}/pickup", null)).OkAsync();
        var deposit = await TestCore.ReadAsync<JsonElement>(await courier.PostJsonAsync($"/api/parcels/{parcelId}/deposit", null));
        return deposit.GetProperty("compartment").GetInt32();
    }

    /// <summary>The pickup code the recipient's phone was sent for a tracking number (the demo sends it by itself).</summary>
    public async Task<string> CodeSentAsync(string trackingId, string phone)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (Sms.FindCodeFor(trackingId, phone) is { } code)
            {
                return code;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No code was sent for {trackingId}.");
    }

    /// <summary>
    /// Which courier's round deposits the parcel, at which place and in which compartment (once the rounds' read model
    /// has caught up with the planning).
    /// </summary>
    public async Task<(string CourierId, string PlaceId, int Compartment)> PlannedForAsync(string trackingId)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            foreach (var round in (await GetAsync("/api/rounds", OperatorKey)).EnumerateArray())
            {
                foreach (var stop in round.GetProperty("stops").EnumerateArray())
                {
                    foreach (var parcel in stop.GetProperty("parcels").EnumerateArray())
                    {
                        if (parcel.GetProperty("trackingId").GetString() == trackingId && parcel.GetProperty("action").GetString() == "deposit")
                        {
                            return (round.GetProperty("courierId").GetString()!, stop.GetProperty("place").GetProperty("id").GetString()!, parcel.GetProperty("compartment").GetInt32());
                        }
                    }
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No round deposits {trackingId}.");
    }

    public async ValueTask DisposeAsync()
    {
        RunningHosts.Remove(BaseAddress);
        await Network.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
