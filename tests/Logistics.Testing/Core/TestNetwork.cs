using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Logistics.Testing.Core;

/// <summary>
/// A tiny named network built through the operator's API: two shops (the second a relay point), two lockers of
/// <c>smallCompartments</c> S doors plus one M and one L, two couriers (a cargo bike and a van).
/// </summary>
public sealed class TestNetwork
{
    public const string Phone = "+33 6 11 22 33 44";

    // How many parcels the helpers registered, shared with the same network seen through another core.
    private StrongBox<int> Registered { get; init; } = new();

    public required TestCore Core { get; init; }

    public required string ShopId { get; init; }

    public required string ShopKey { get; init; }

    public required string OtherShopKey { get; init; }

    public required string RelayShopId { get; init; }

    public required string LockerId { get; init; }

    public required string FarLockerId { get; init; }

    public required string CourierId { get; init; }

    public required string CourierKey { get; init; }

    public required string OtherCourierKey { get; init; }

    public HttpClient Shop => Core.Client(ShopKey);

    public HttpClient Courier => Core.Client(CourierKey);

    public HttpClient Customer => Core.Client();

    /// <summary>A network's shops, lockers and couriers, made by the first network's operator or by <paramref name="asOperator"/> (another network's).</summary>
    public static async Task<TestNetwork> CreateAsync(TestCore core, int smallCompartments = 4, HttpClient? asOperator = null, string names = "")
    {
        var shop = await core.RegisterAsync("/api/shops", new { name = names + "Boulangerie", address = "1 rue Nationale", latitude = 47.4130, longitude = 0.9833 }, asOperator);
        var other = await core.RegisterAsync("/api/shops", new { name = names + "Librairie", address = "2 rue Nationale", latitude = 47.4126, longitude = 0.9820, relayPoint = true }, asOperator);
        var compartments = Enumerable.Range(1, smallCompartments).Select(n => new { number = n, size = "S", lowHeight = false })
            .Append(new { number = smallCompartments + 1, size = "M", lowHeight = false })
            .Append(new { number = smallCompartments + 2, size = "L", lowHeight = true });
        var locker = await core.RegisterAsync("/api/lockers", new { name = names + "Consigne Mairie", address = "Place de la Mairie", latitude = 47.4124, longitude = 0.9835, compartments }, asOperator);
        var far = await core.RegisterAsync("/api/lockers", new { name = names + "Consigne Gare", address = "Gare", latitude = 47.4199, longitude = 0.9832, compartments }, asOperator);
        var courier = await core.RegisterAsync("/api/couriers", new { name = names + "Camille", vehicle = "CargoBike", capacityUnits = 24 }, asOperator);
        var otherCourier = await core.RegisterAsync("/api/couriers", new { name = names + "Yanis", vehicle = "Van", capacityUnits = 100 }, asOperator);
        await core.SettleAsync();
        return new TestNetwork
        {
            Core = core,
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

    /// <summary>The same network seen through another core on its database (after a restart, or another node).</summary>
    public TestNetwork On(TestCore core) => new()
    {
        Core = core,
        ShopId = ShopId,
        ShopKey = ShopKey,
        OtherShopKey = OtherShopKey,
        RelayShopId = RelayShopId,
        LockerId = LockerId,
        FarLockerId = FarLockerId,
        CourierId = CourierId,
        CourierKey = CourierKey,
        OtherCourierKey = OtherCourierKey,
        Registered = Registered,
    };

    /// <summary>
    /// Another recipient's phone for each parcel the helpers register (the first is <see cref="Phone"/>), all ending
    /// with its last 4 digits: parcels for one phone at one locker share a code, so the helpers' parcels are each
    /// someone else's unless a test names the phone.
    /// </summary>
    public string NextPhone() => $"+33 6 {10 + Interlocked.Increment(ref Registered.Value):00} 22 33 44";

    /// <summary>The shop (the first by default) registers a parcel for the locker; returns (parcel id, tracking id).</summary>
    public async Task<(string ParcelId, string TrackingId)> RegisterForLockerAsync(string? locker = null, string size = "S", string? phone = null, HttpClient? shop = null)
    {
        var response = await (shop ?? Shop).PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Camille Martin", phone = phone ?? NextPhone(), email = "camille@example.org" },
            size,
            destination = new { kind = "locker", lockerId = locker ?? LockerId },
        });
        var json = await TestCore.ReadAsync<JsonElement>(response);
        return (json.GetProperty("parcelId").GetString()!, json.GetProperty("trackingId").GetString()!);
    }

    /// <summary>Registered, picked up and deposited: the parcel, its tracking id, its compartment and the customer's code.</summary>
    public async Task<Deposit> DepositedAsync(string? locker = null, string? phone = null, HttpClient? shop = null)
    {
        phone ??= NextPhone();
        var (parcel, tracking) = await RegisterForLockerAsync(locker, phone: phone, shop: shop);
        await (await Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var deposit = await TestCore.ReadAsync<JsonElement>(await Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));
        await Core.SettleAsync();
        return new Deposit(parcel, tracking, deposit.GetProperty("compartment").GetInt32(), await Core.CodeSentAsync(tracking, phone));
    }

    /// <summary>A board for the locker (the first by default) on the real link, opening every door the core asks for.</summary>
    public Task<SimulatedBoard> BoardAsync(string? locker = null) => SimulatedBoard.ConnectAsync(Core, locker ?? LockerId);

    /// <summary>
    /// The recipient types the right code on the tracking page in front of the locker: the core asks the board to
    /// open the door, and the parcel is collected once the board reports the door open. Needs a board connected.
    /// </summary>
    public async Task<JsonElement> CollectAsync(string tracking, string code)
    {
        var answer = await TestCore.ReadAsync<JsonElement>(await Customer.PostJsonAsync($"/api/track/{tracking}/collect", new { code }));
        await StatusAsync(tracking, "Collected");
        return answer;
    }

    /// <summary>Waits (settling the core's follow-up work) until the parcel shows <paramref name="status"/> to its recipient.</summary>
    public Task<JsonElement> StatusAsync(string tracking, string status) =>
        TrackUntilAsync(tracking, view => view.GetProperty("status").GetString() == status, $"status {status}");

    /// <summary>Waits (settling the core's follow-up work) until the recipient's view of the parcel shows what <paramref name="done"/> wants.</summary>
    public async Task<JsonElement> TrackUntilAsync(string tracking, Func<JsonElement, bool> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            await Core.SettleAsync();
            var view = await TrackAsync(tracking);
            if (done(view))
            {
                return view;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"parcel {tracking} never showed {what}: {view}");
            }

            // Slower and slower, like a person refreshing: the tests that keep the production limit on the customer's
            // endpoints (60 a minute per address) must not spend it waiting on a slow machine.
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
        }
    }

    /// <summary>The operator assigns a parcel waiting in a locker to a courier (the first by default), who may then take it out.</summary>
    public async Task AssignAsync(string parcel, string? courier = null) =>
        await (await Core.Operator().PostJsonAsync($"/api/parcels/{parcel}/assign", new { courierId = courier ?? CourierId })).OkAsync();

    /// <summary>What the recipient's tracking page says.</summary>
    public async Task<JsonElement> TrackAsync(string tracking) => await TestCore.ReadAsync<JsonElement>(await Customer.GetAsync($"/api/track/{tracking}"));

    /// <summary>The operator's view of a locker (the first by default): compartments, alarms, online.</summary>
    public async Task<JsonElement> LockerAsync(string? locker = null) => await TestCore.ReadAsync<JsonElement>(await Core.Operator().GetAsync($"/api/lockers/{locker ?? LockerId}"));
}

/// <summary>A parcel waiting in a locker: where, and the code its recipient types.</summary>
public sealed record Deposit(string ParcelId, string TrackingId, int Compartment, string Code);
