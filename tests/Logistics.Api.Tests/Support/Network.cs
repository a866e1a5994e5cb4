using System.Net;
using System.Text.Json;

namespace Logistics.Api.Tests.Support;

/// <summary>A tiny named network built through the operator's API: two shops, two lockers, two couriers.</summary>
public sealed class Network
{
    public required ApiServer Server { get; init; }

    public required string ShopId { get; init; }

    public required string ShopKey { get; init; }

    public required string OtherShopKey { get; init; }

    public required string RelayShopId { get; init; }

    public required string LockerId { get; init; }

    public required string FarLockerId { get; init; }

    public required string CourierId { get; init; }

    public required string CourierKey { get; init; }

    public required string OtherCourierKey { get; init; }

    public HttpClient Shop => Server.Client(ShopKey);

    public HttpClient Courier => Server.Client(CourierKey);

    public HttpClient Customer => Server.Client();

    public static async Task<Network> CreateAsync(ApiServer server, int smallCompartments = 4)
    {
        var op = server.Operator();
        async Task<(string Id, string Key)> Register(string path, object body)
        {
            var response = await op.PostJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var json = await response.JsonAsync();
            return (json.GetProperty("id").GetString()!, json.GetProperty("apiKey").GetString()!);
        }

        var shop = await Register("/api/shops", new { name = "Boulangerie", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 });
        var other = await Register("/api/shops", new { name = "Librairie", address = "2 rue Nationale", latitude = 47.4126, longitude = 0.9820, relayPoint = true });
        var compartments = Enumerable.Range(1, smallCompartments).Select(n => new { number = n, size = "S", lowHeight = false })
            .Append(new { number = smallCompartments + 1, size = "M", lowHeight = false })
            .Append(new { number = smallCompartments + 2, size = "L", lowHeight = true });
        var locker = await Register("/api/lockers", new { name = "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments });
        var far = await Register("/api/lockers", new { name = "Consigne Gare", address = "Gare", latitude = 47.4199, longitude = 0.9832, compartments });
        var courier = await Register("/api/couriers", new { name = "Camille", vehicle = "CargoBike", capacityUnits = 24 });
        var otherCourier = await Register("/api/couriers", new { name = "Yanis", vehicle = "Van", capacityUnits = 100 });
        await server.SettleAsync();
        return new Network
        {
            Server = server,
            ShopId = shop.Id,
            ShopKey = shop.Key,
            OtherShopKey = other.Key,
            RelayShopId = other.Id,
            LockerId = locker.Id,
            FarLockerId = far.Id,
            CourierId = courier.Id,
            CourierKey = courier.Key,
            OtherCourierKey = otherCourier.Key,
        };
    }

    public const string Phone = "+33 6 11 22 33 44";

    /// <summary>The shop registers a parcel for the locker; returns (parcel id, tracking id).</summary>
    public async Task<(string ParcelId, string TrackingId)> RegisterForLockerAsync(string? locker = null, string size = "S")
    {
        var response = await Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Camille Martin", phone = Phone, email = "camille@example.org" },
            size,
            destination = new { kind = "locker", lockerId = locker ?? LockerId },
        });
        var json = await ApiServer.ReadAsync<JsonElement>(response);
        return (json.GetProperty("parcelId").GetString()!, json.GetProperty("trackingId").GetString()!);
    }

    /// <summary>Registered, picked up and deposited: returns the parcel, its tracking id and the customer's code.</summary>
    public async Task<(string ParcelId, string TrackingId, int Compartment, string Code)> DepositedAsync(string? locker = null)
    {
        var (parcel, tracking) = await RegisterForLockerAsync(locker);
        await (await Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var deposit = await ApiServer.ReadAsync<JsonElement>(await Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));
        await Server.SettleAsync();
        return (parcel, tracking, deposit.GetProperty("compartment").GetInt32(), Server.Sms.CodeFor(tracking, Phone));
    }
}
