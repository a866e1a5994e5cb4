using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Planning;

/// <summary>Helpers of the planning tests: parcels from either shop, shifts, a plan run, a courier's round.</summary>
public abstract class PlanningTest : ApiTest
{
    // Places of the test network (Support/Network.cs).
    protected const double BakeryLat = 47.4130, BakeryLon = 0.9833;
    protected const double BookshopLat = 47.4126, BookshopLon = 0.9820;

    protected HttpClient Bookshop => Server.Client(Net.OtherShopKey);

    protected HttpClient Yanis => Server.Client(Net.OtherCourierKey);

    protected DateTimeOffset Now => Server.Clock.GetUtcNow();

    /// <summary>Now plus some minutes, in whole seconds: times stored by PostgreSQL keep microseconds, not ticks.</summary>
    protected DateTimeOffset InMinutes(double minutes)
    {
        var at = Now.AddMinutes(minutes);
        return at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
    }

    protected static async Task<string> RegisterAsync(HttpClient shop, object destination, string size = "S", object? address = null, DateTimeOffset? promisedBy = null)
    {
        var response = await shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Louise Bernard", phone = TestNetwork.Phone, address },
            size,
            destination,
            promisedBy,
        });
        return (await TestCore.ReadAsync<JsonElement>(response)).GetProperty("parcelId").GetString()!;
    }

    protected Task<string> ForLockerAsync(HttpClient shop, string? locker = null, string size = "S") =>
        RegisterAsync(shop, new { kind = "locker", lockerId = locker ?? Net.LockerId }, size);

    protected static Task<string> ForHomeAsync(HttpClient shop, DateTimeOffset from, DateTimeOffset to, double lat = 47.4170, double lon = 0.9870, DateTimeOffset? promisedBy = null) =>
        RegisterAsync(shop, new { kind = "home", from, to }, "S", new { street = "8 rue Colbert", postalCode = "37000", city = "Tours", latitude = lat, longitude = lon }, promisedBy);

    /// <summary>Moves the test clock (UTC is its time zone) to the next day at a time of day.</summary>
    protected void NextDayAt(int hour, int minute = 0)
    {
        var at = new DateTimeOffset(Now.UtcDateTime.Date.AddDays(1).AddHours(hour).AddMinutes(minute), TimeSpan.Zero);
        Server.Clock.Advance(at - Now);
    }

    protected static async Task StartShiftAsync(HttpClient courier, double lat, double lon) =>
        await (await courier.PostJsonAsync("/api/couriers/me/shift/start", new { latitude = lat, longitude = lon })).OkAsync();

    protected async Task<JsonElement> PlanAsync()
    {
        await Server.SettleAsync();
        var result = await TestCore.ReadAsync<JsonElement>(await Server.Operator().PostJsonAsync("/api/planning/run", null));
        await Server.SettleAsync();
        return result;
    }

    protected static async Task<JsonElement> RoundAsync(HttpClient courier) =>
        await TestCore.ReadAsync<JsonElement>(await courier.GetAsync("/api/couriers/me/round"));

    protected async Task<JsonElement> CompleteAsync(HttpClient courier, string stopId, object? body = null)
    {
        var result = await TestCore.ReadAsync<JsonElement>(await courier.PostJsonAsync($"/api/couriers/me/round/stops/{stopId}/complete", body));
        await Server.SettleAsync();
        return result;
    }

    protected async Task<string> ParcelStatusAsync(string parcelId) =>
        (await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/parcels/{parcelId}"))).GetProperty("parcel").GetProperty("status").GetString()!;

    protected static IEnumerable<JsonElement> Stops(JsonElement round) => round.GetProperty("stops").EnumerateArray();

    protected static IEnumerable<string> ParcelIds(JsonElement stop) => stop.GetProperty("parcels").EnumerateArray().Select(p => p.GetProperty("parcelId").GetString()!);

    protected static IEnumerable<string> Actions(JsonElement stop) => stop.GetProperty("parcels").EnumerateArray().Select(p => p.GetProperty("action").GetString()!);

    protected static string Place(JsonElement stop) => stop.GetProperty("place").GetProperty("kind").GetString()!;

    protected static string Id(JsonElement stop) => stop.GetProperty("stopId").GetString()!;

    /// <summary>The federation makes another network: its operator, and its tiny network with every name prefixed by the network's name.</summary>
    protected async Task<(TestNetwork Net, HttpClient Operator)> NetworkAsync(string id, string name)
    {
        var op = Server.Client(await Server.CreateNetworkAsync(id, name));
        return (await TestNetwork.CreateAsync(Server, asOperator: op, names: name + " "), op);
    }

    protected async Task<(string Id, string Key)> NewCourierAsync(string name, string vehicle, int capacity)
    {
        var json = await TestCore.ReadAsync<JsonElement>(await Server.Operator().PostAsJsonAsync("/api/couriers", new { name, vehicle, capacityUnits = capacity }, TestCore.Json));
        return (json.GetProperty("id").GetString()!, json.GetProperty("apiKey").GetString()!);
    }
}
