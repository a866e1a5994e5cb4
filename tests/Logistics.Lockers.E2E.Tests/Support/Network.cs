using System.Net;
using System.Text.Json;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>A shop, a courier and one locker of six doors (four S, one M, one L), built through the operator's API.</summary>
public sealed class Network
{
    public const string Phone = "+33 6 11 22 33 44";

    public required CoreServer Core { get; init; }

    public required string ShopKey { get; init; }

    public required string LockerId { get; init; }

    public required string CourierKey { get; init; }

    public HttpClient Shop => Core.Client(ShopKey);

    public HttpClient Courier => Core.Client(CourierKey);

    public HttpClient Customer => Core.Client();

    public static async Task<Network> CreateAsync(CoreServer core)
    {
        var op = core.Operator();
        async Task<string[]> Register(string path, object body)
        {
            var response = await op.PostJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var json = await response.JsonAsync();
            return [json.GetProperty("id").GetString()!, json.GetProperty("apiKey").GetString()!];
        }

        var shop = await Register("/api/shops", new { name = "Boulangerie", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        var compartments = Enumerable.Range(1, 4).Select(n => new { number = n, size = "S", lowHeight = false })
            .Append(new { number = 5, size = "M", lowHeight = false })
            .Append(new { number = 6, size = "L", lowHeight = true });
        var locker = await Register("/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });
        var courier = await Register("/api/couriers", new { name = "Camille", vehicle = "CargoBike", capacityUnits = 200 });
        await core.SettleAsync();
        return new Network { Core = core, ShopKey = shop[1], LockerId = locker[0], CourierKey = courier[1] };
    }

    /// <summary>Registered by the shop, picked up and deposited by the courier: the parcel, its tracking id, its compartment and the customer's code.</summary>
    public async Task<Deposit> DepositAsync()
    {
        var registered = await CoreServer.ReadAsync<JsonElement>(await Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Camille Martin", phone = Phone, email = "camille@example.org" },
            size = "S",
            destination = new { kind = "locker", lockerId = LockerId },
        }));
        var parcel = registered.GetProperty("parcelId").GetString()!;
        var tracking = registered.GetProperty("trackingId").GetString()!;
        await (await Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var deposit = await CoreServer.ReadAsync<JsonElement>(await Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));
        await Core.SettleAsync();
        return new Deposit(parcel, tracking, deposit.GetProperty("compartment").GetInt32(), Core.Sms.CodeFor(tracking, Phone));
    }

    /// <summary>What the recipient's tracking page says.</summary>
    public async Task<JsonElement> TrackAsync(string tracking) => await (await Customer.GetAsync($"/api/track/{tracking}")).JsonAsync();

    /// <summary>The operator's view of the locker: compartments, alarms, online.</summary>
    public async Task<JsonElement> LockerAsync() => await (await Core.Operator().GetAsync($"/api/lockers/{LockerId}")).JsonAsync();
}

public sealed record Deposit(string ParcelId, string TrackingId, int Compartment, string Code);
