using Logistics.Api.Accounts;
using Logistics.Application.Access;
using Logistics.Application.HomeBoxes;
using Logistics.Application.Notifications;
using Logistics.Application.Parcels;
using Logistics.Application.Planning;
using Logistics.Application.ProcessManagers;
using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Shops;
using Npgsql;

namespace Logistics.Demo;

/// <summary>
/// Two networks of one deployment. A small French town centre (Amboise, on the Loire): twelve shops (three of them
/// relay points), three lockers, three couriers and parcels in every state of their lifecycle; and a second town
/// (Chinon, on the Vienne) with four shops, a locker and a courier. Made through the same actions as the API.
/// </summary>
public sealed class DemoSeeder(IServiceProvider services)
{
    /// <summary>The first network (the one the demo's operator key and people work in).</summary>
    public const string Amboise = "amboise";

    /// <summary>The second town.</summary>
    public const string Chinon = "chinon";

    private static readonly (string Name, string Address, double Lat, double Lon, bool Relay)[] ChinonShops =
    [
        ("Boucherie du Grand Carroi", "44 rue Voltaire, 37500 Chinon", 47.16570, 0.23930, false),
        ("Librairie Rabelaisienne", "12 rue Haute Saint-Maurice, 37500 Chinon", 47.16640, 0.23700, true),
        ("Caviste du Vieux Chinon", "3 place du Général de Gaulle, 37500 Chinon", 47.16580, 0.24150, false),
        ("Primeurs de la Vienne", "20 quai Charles VII, 37500 Chinon", 47.16460, 0.24010, false),
    ];

    /// <summary>Chinon's ids: its shops, its one locker and its courier.</summary>
    private static List<ShopId> ChinonShopIds => [.. ChinonShops.Select((_, i) => new ShopId($"chinon-shop-{i + 1:00}"))];

    public static readonly LockerId ChinonLockerId = new("chinon-locker-01");

    private static readonly CourierId ChinonCourierId = new("chinon-courier-01");

    private static readonly (string Name, string Address, double Lat, double Lon, bool Relay)[] Shops =
    [
        ("Boulangerie du Château", "12 rue Nationale, 37400 Amboise", 47.41305, 0.98330, false),
        ("Librairie Léonard", "28 rue Nationale, 37400 Amboise", 47.41265, 0.98205, true),
        ("Fromagerie de la Loire", "5 place Michel Debré, 37400 Amboise", 47.41355, 0.98475, false),
        ("Pharmacie Centrale", "40 rue Nationale, 37400 Amboise", 47.41228, 0.98102, false),
        ("Cave Saint-Denis", "3 rue de la Concorde, 37400 Amboise", 47.41185, 0.98290, false),
        ("Fleurs du Clos", "17 rue Victor Hugo, 37400 Amboise", 47.41120, 0.98690, true),
        ("Épicerie Fine Mail", "9 quai du Général de Gaulle, 37400 Amboise", 47.41420, 0.98160, false),
        ("Quincaillerie Chaptal", "22 rue Chaptal, 37400 Amboise", 47.41050, 0.98070, false),
        ("Chocolaterie Bigot", "2 place du Château, 37400 Amboise", 47.41330, 0.98600, false),
        ("Mercerie des Tanneurs", "31 rue des Tanneurs, 37400 Amboise", 47.41375, 0.97930, false),
        ("Opticien Rabelais", "6 rue François Ier, 37400 Amboise", 47.41290, 0.98420, true),
        ("Bazar de la Gare", "1 boulevard Saint-Denis, 37400 Amboise", 47.41960, 0.98270, false),
    ];

    private static readonly (string Name, string Address, double Lat, double Lon, int Small, int Medium, int Large)[] Lockers =
    [
        ("Consigne Mairie", "Place de l'Hôtel de Ville, 37400 Amboise", 47.41245, 0.98350, 12, 8, 4),
        ("Consigne Marché", "Mail Saint-Thomas, 37400 Amboise", 47.41480, 0.97995, 10, 6, 4),
        ("Consigne Gare", "Parvis de la gare, 37400 Amboise", 47.41990, 0.98320, 8, 8, 4),
    ];

    private static readonly (string Name, Vehicle Vehicle, int Capacity)[] Couriers =
    [
        ("Camille (vélo-cargo)", Vehicle.CargoBike, 24),
        ("Yanis (vélo-cargo)", Vehicle.CargoBike, 24),
        ("Sophie (fourgon)", Vehicle.Van, 120),
    ];

    /// <summary>The network's ids, as <see cref="SeedNetworkAsync"/> makes them.</summary>
    private static List<ShopId> ShopIds => [.. Shops.Select((_, i) => new ShopId($"shop-{i + 1:00}"))];

    private static List<LockerId> LockerIds => [.. Lockers.Select((_, i) => new LockerId($"locker-{i + 1:00}"))];

    /// <summary>The demo's one home box, and its owner.</summary>
    public static readonly LockerId HomeBoxId = new("homebox-01");

    private static readonly (string Name, string Phone) HomeBoxOwner = ("Claire Dubois", "+33 6 45 67 89 01");

    private static List<CourierId> CourierIds => [.. Couriers.Select((_, i) => new CourierId($"courier-{i + 1:00}"))];

    /// <summary>
    /// Seeds the shops, lockers and couriers once: does nothing when the network already has shops. Returns whether
    /// it seeded (then <see cref="SeedParcelsAsync"/> follows, once the lockers' boards are registered).
    /// </summary>
    public async Task<bool> SeedNetworkAsync(CancellationToken cancellationToken = default)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using (var any = dataSource.CreateCommand("select exists (select 1 from es_streams where stream_id like 'shop-%')"))
        {
            if ((bool)(await any.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        var clock = services.GetRequiredService<TimeProvider>();
        var streams = services.GetRequiredService<EventStreams>();
        var networks = services.GetRequiredService<Application.Networks.NetworkDirectory>();
        await networks.EnsureAsync(Amboise, "Amboise", cancellationToken);
        await networks.EnsureAsync(Chinon, "Chinon", cancellationToken);
        var context = new CommandContext(new Actor(Roles.Operator, "demo-seed", Amboise));
        var now = clock.GetUtcNow();

        foreach (var (shop, id) in Shops.Zip(ShopIds))
        {
            await streams.HandleAsync(Deciders.Shop, Deciders.Stream(id), _ => new RegisterShop(id, shop.Name, shop.Address, new GeoPoint(shop.Lat, shop.Lon), shop.Relay, now), context, cancellationToken: cancellationToken);
        }

        foreach (var (locker, id) in Lockers.Zip(LockerIds))
        {
            var compartments = Enumerable.Range(1, locker.Small).Select(n => new CompartmentSpec(n, ParcelSize.S, n <= 2))
                .Concat(Enumerable.Range(locker.Small + 1, locker.Medium).Select(n => new CompartmentSpec(n, ParcelSize.M, false)))
                .Concat(Enumerable.Range(locker.Small + locker.Medium + 1, locker.Large).Select(n => new CompartmentSpec(n, ParcelSize.L, false)))
                .ToArray();
            await streams.HandleAsync(Deciders.Locker, Deciders.Stream(id), _ => new RegisterLocker(id, locker.Name, new GeoPoint(locker.Lat, locker.Lon), locker.Address, compartments, now), context, cancellationToken: cancellationToken);
        }

        foreach (var (courier, id) in Couriers.Zip(CourierIds))
        {
            await streams.HandleAsync(Deciders.Courier, Deciders.Stream(id), _ => new RegisterCourier(id, courier.Name, courier.Vehicle, courier.Capacity, now), context, cancellationToken: cancellationToken);
        }

        // A resident's home box near the castle, paired by its owner (the code printed on it used at once).
        var boxes = services.GetRequiredService<HomeBoxes>();
        var box = await boxes.ProvisionAsync(new HomeBoxInput("Boîte à colis Dubois", "8 rue Rabelais, 37400 Amboise", 47.41150, 0.98480, ParcelSize.M), context, HomeBoxId, cancellationToken);
        await boxes.ClaimAsync(
            HomeBoxId,
            new ClaimInput(box.PairingCode, HomeBoxOwner.Name, HomeBoxOwner.Phone, null, new AddressInput("8 rue Rabelais", "37400", "Amboise", null, null)),
            new CommandContext(new Actor(Roles.System, "demo-seed")),
            cancellationToken);

        await SeedChinonAsync(streams, now, cancellationToken);
        await services.GetRequiredService<ProcessManagerHost>().CatchUpAsync(cancellationToken);
        return true;
    }

    // The second town: its shops, a locker of 12 compartments at the market square, a courier on a cargo bike.
    private static async Task SeedChinonAsync(EventStreams streams, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var context = new CommandContext(new Actor(Roles.Operator, "demo-seed", Chinon));
        foreach (var (shop, id) in ChinonShops.Zip(ChinonShopIds))
        {
            await streams.HandleAsync(Deciders.Shop, Deciders.Stream(id), _ => new RegisterShop(id, shop.Name, shop.Address, new GeoPoint(shop.Lat, shop.Lon), shop.Relay, now), context, cancellationToken: cancellationToken);
        }

        var compartments = Enumerable.Range(1, 12).Select(n => new CompartmentSpec(n, n <= 6 ? ParcelSize.S : n <= 10 ? ParcelSize.M : ParcelSize.L, n <= 2)).ToArray();
        await streams.HandleAsync(
            Deciders.Locker,
            Deciders.Stream(ChinonLockerId),
            _ => new RegisterLocker(ChinonLockerId, "Consigne Place Jeanne d'Arc", new GeoPoint(47.16530, 0.24290), "Place Jeanne d'Arc, 37500 Chinon", compartments, now),
            context,
            cancellationToken: cancellationToken);
        await streams.HandleAsync(Deciders.Courier, Deciders.Stream(ChinonCourierId), _ => new RegisterCourier(ChinonCourierId, "Léon (vélo-cargo)", Vehicle.CargoBike, 24, now), context, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The morning's work: the two cargo bikes start their shift at the town hall and the network plans their
    /// rounds (the van's driver starts later), so the courier's page has a round to follow.
    /// </summary>
    public async Task<PlanningResult> StartRoundsAsync(CancellationToken cancellationToken = default)
    {
        var streams = services.GetRequiredService<EventStreams>();
        var context = new CommandContext(new Actor(Roles.Courier, "demo-seed", Amboise));
        var townHall = new GeoPoint(Lockers[0].Lat, Lockers[0].Lon);
        foreach (var id in CourierIds.Take(2))
        {
            await streams.HandleAsync(Deciders.Courier, Deciders.Stream(id), _ => new StartShift(townHall, streams.Clock.GetUtcNow()), context, cancellationToken: cancellationToken);
        }

        await services.GetRequiredService<ProcessManagerHost>().CatchUpAsync(cancellationToken);
        var plan = await services.GetRequiredService<RoundPlanner>().PlanAsync(new CommandContext(Actor.System), cancellationToken);
        await services.GetRequiredService<ProcessManagerHost>().CatchUpAsync(cancellationToken);
        return plan;
    }

    /// <summary>
    /// Accounts for the people of the demo, with generated passwords: the operator, a shopkeeper at each of the first
    /// three shops, and each courier.
    /// </summary>
    public async Task<IReadOnlyList<DemoPerson>> CreatePeopleAsync(DemoCredentials keys, CancellationToken cancellationToken = default)
    {
        var people = new List<DemoPerson> { new(Roles.Operator, "operator", "Operator", "operator@demo.test", Password()) };
        people.AddRange(keys.Shops.Where(s => s.Network == Amboise).Take(3).Select((shop, i) => new DemoPerson(Roles.Shop, shop.Id, shop.Name, $"shop{i + 1}@demo.test", Password())));
        people.AddRange(keys.Couriers.Where(c => c.Network == Amboise).Select((courier, i) => new DemoPerson(Roles.Courier, courier.Id, courier.Name, $"courier{i + 1}@demo.test", Password())));
        people.Add(new DemoPerson(Roles.Operator, "operator", "Operator of Chinon", "operator@chinon.demo.test", Password()) { Network = Chinon });
        people.Add(new DemoPerson(Roles.Federation, "federation", "Federation", "federation@demo.test", Password()) { Network = Application.Networks.NetworkIds.All });
        foreach (var person in people)
        {
            await services.CreateWithPasswordAsync(person.Email, person.Password, person.Role, person.Id, person.Network, cancellationToken);
        }

        return people;

        static string Password() => Base32.Random(16).ToLowerInvariant();
    }

    /// <summary>
    /// Issues a key to every shop, locker and courier of both networks (when the demo's key file is lost or new), an
    /// operator key for Chinon, and the federation's key.
    /// </summary>
    public async Task<DemoCredentials> IssueKeysAsync(string operatorKey, string federationKey, CancellationToken cancellationToken = default)
    {
        var keys = services.GetRequiredService<ApiKeys>();
        var directory = services.GetRequiredService<DirectoryQueries>();
        await services.GetRequiredService<ProcessManagerHost>().CatchUpAsync(cancellationToken);
        List<DemoKey> shops = [], lockers = [], couriers = [], operators = [new DemoKey("Operator of Amboise", "operator", operatorKey, Amboise)];
        foreach (var network in new[] { Amboise, Chinon })
        {
            foreach (var shop in await directory.ShopsAsync(network, cancellationToken))
            {
                shops.Add(new DemoKey(shop.Name, shop.ShopId, await keys.IssueAsync(new Credential(Roles.Shop, shop.ShopId, shop.Name, network), cancellationToken), network));
            }

            foreach (var locker in await services.GetRequiredService<LockerQueries>().AllAsync(network, cancellationToken))
            {
                lockers.Add(new DemoKey(locker.Name, locker.LockerId, await keys.IssueAsync(new Credential(Roles.Locker, locker.LockerId, locker.Name, network), cancellationToken), network));
            }

            foreach (var courier in await directory.CouriersAsync(network, cancellationToken))
            {
                couriers.Add(new DemoKey(courier.Name, courier.CourierId, await keys.IssueAsync(new Credential(Roles.Courier, courier.CourierId, courier.Name, network), cancellationToken), network));
            }
        }

        operators.Add(new DemoKey("Operator of Chinon", "operator", await keys.IssueAsync(new Credential(Roles.Operator, "operator", "Operator of Chinon", Chinon), cancellationToken), Chinon));
        return new DemoCredentials(shops, lockers, couriers) { OperatorKey = operatorKey, FederationKey = federationKey, Operators = operators };
    }

    /// <summary>
    /// Parcels in every state, some with a history days long (made with a clock set back; what follows each step —
    /// compartments, doors, the boards' codes — takes the time of the step, so a door opened for a deposit hours ago
    /// is a command long expired, not one to pulse now).
    /// </summary>
    public async Task SeedParcelsAsync(CancellationToken cancellationToken = default)
    {
        var (shops, lockers, couriers) = (ShopIds, LockerIds, CourierIds);
        var clock = services.GetRequiredService<TimeProvider>();
        var projections = services.GetRequiredService<ProcessManagerHost>();
        ParcelActions At(TimeSpan offset)
        {
            var streams = new EventStreams(services.GetRequiredService<EventStore.Postgres.PostgresEventStore>(), services.GetRequiredService<EventStore.Serialization.EventSerializer>(), new ShiftedClock(clock, offset));
            return new(
                streams,
                services.GetRequiredService<ParcelQueries>(),
                services.GetRequiredService<LockerQueries>(),
                services.GetRequiredService<CodeFailures>(),
                services.GetRequiredService<PickupCodes>(),
                new Outbox(services.GetRequiredService<EventStore.PersonalData.PersonalDataSealer>(), new ShiftedClock(clock, offset)),
                services.GetRequiredService<ParcelPolicy>(),
                new Application.Lockers.Compartments(streams),
                services.GetRequiredService<Application.Lockers.LockerDevices>(),
                new FaultInjection(),
                services.GetRequiredService<PlanningQueries>(),
                services.GetRequiredService<CourierAssignments>(),
                services.GetRequiredService<DeliveryProofs>(),
                services.GetRequiredService<SharedCodes>(),
                services.GetRequiredService<HomeBoxes>());
        }

        var now = At(TimeSpan.Zero);
        var shop = new CommandContext(new Actor(Roles.Shop, "demo", Amboise));
        var courier = new CommandContext(new Actor(Roles.Courier, "demo", Amboise));
        var names = new[] { "Marie Lefèvre", "Lucas Bernard", "Chloé Petit", "Hugo Moreau", "Léa Girard", "Nathan Roux", "Emma Fournier", "Louis Mercier", "Manon Blanc", "Jules Garnier", "Inès Faure", "Arthur Chevalier" };
        var n = 0;
        RegisterParcelRequest ToLocker(LockerId locker, ParcelSize size) => new(
            new RecipientInput(names[n++ % names.Length], $"+33 6 12 34 {n:00} {n * 7 % 100:00}", null, null), size, new DestinationInput("locker", locker.Value, null, null, null));
        RegisterParcelRequest ToHome(DateTimeOffset from) => new(
            new RecipientInput(names[n++ % names.Length], $"+33 6 98 76 {n:00} {n * 3 % 100:00}", null, new AddressInput($"{n} rue de la Paix", "37400", "Amboise", 47.4105 + (n * 0.0007), 0.9790 + (n * 0.0009))),
            ParcelSize.M,
            new DestinationInput("home", null, null, from, from.AddHours(2)));

        // For the home box's owner, from the cheese shop: the morning's round takes it to her box.
        await now.RegisterAsync(
            shops[2],
            new RegisterParcelRequest(new RecipientInput(HomeBoxOwner.Name, HomeBoxOwner.Phone, null, null), ParcelSize.S, new DestinationInput("homeBox", null, null, null, null, HomeBoxId.Value)),
            shop,
            cancellationToken);

        // Awaiting pickup at their shops, and one dropped by its shop in a locker.
        for (var i = 0; i < 4; i++)
        {
            await now.RegisterAsync(shops[i], ToLocker(lockers[i % 3], (ParcelSize)(i % 3)), shop, cancellationToken);
        }

        var halfAnHourAgo = At(TimeSpan.FromMinutes(-30));
        var dropped = await halfAnHourAgo.RegisterAsync(shops[4], ToLocker(lockers[2], ParcelSize.S), shop, cancellationToken);
        await projections.CatchUpAsync(cancellationToken);
        await halfAnHourAgo.DropAsync(new ParcelId(dropped.ParcelId), shops[4], lockers[0], shop, cancellationToken);

        // On board a courier.
        var onBoard = await now.RegisterAsync(shops[5], ToLocker(lockers[1], ParcelSize.M), shop, cancellationToken);
        await now.PickUpAsync(new ParcelId(onBoard.ParcelId), couriers[0], courier, cancellationToken);
        var homeToday = await now.RegisterAsync(shops[6], ToHome(clock.GetUtcNow().AddHours(1)), shop, cancellationToken);
        await now.PickUpAsync(new ParcelId(homeToday.ParcelId), couriers[2], courier, cancellationToken);

        // Waiting in lockers (one deposited yesterday, one three days ago: reminded soon).
        foreach (var (offset, i) in new[] { TimeSpan.FromHours(-2), TimeSpan.FromDays(-1), TimeSpan.FromDays(-3.5) }.Select((o, i) => (o, i)))
        {
            var then = At(offset);
            var p = await then.RegisterAsync(shops[i + 1], ToLocker(lockers[i], ParcelSize.S), shop, cancellationToken);
            await then.PickUpAsync(new ParcelId(p.ParcelId), couriers[i], courier, cancellationToken);
            await then.DepositAsync(new ParcelId(p.ParcelId), couriers[i], null, courier, cancellationToken);
        }

        // At a relay shop.
        var relay = await now.RegisterAsync(shops[0], new RegisterParcelRequest(new RecipientInput("Paul Lambert", null, "paul@example.org", null), ParcelSize.S, new DestinationInput("relay", null, shops[1].Value, null, null)), shop, cancellationToken);
        await now.PickUpAsync(new ParcelId(relay.ParcelId), couriers[1], courier, cancellationToken);
        await now.DepositAtRelayAsync(new ParcelId(relay.ParcelId), couriers[1], courier, cancellationToken);

        // Collected yesterday.
        var before = At(TimeSpan.FromDays(-2));
        var collected = await before.RegisterAsync(shops[7], ToLocker(lockers[1], ParcelSize.M), shop, cancellationToken);
        await before.PickUpAsync(new ParcelId(collected.ParcelId), couriers[1], courier, cancellationToken);
        await before.DepositAsync(new ParcelId(collected.ParcelId), couriers[1], null, courier, cancellationToken);
        var yesterday = new EventStreams(services.GetRequiredService<EventStore.Postgres.PostgresEventStore>(), services.GetRequiredService<EventStore.Serialization.EventSerializer>(), new ShiftedClock(clock, TimeSpan.FromDays(-1)));
        await yesterday.HandleAsync(Deciders.Parcel, Deciders.Stream(new ParcelId(collected.ParcelId)), _ => new Collect(yesterday.Clock.GetUtcNow()), new CommandContext(Actor.Customer(collected.TrackingId)), cancellationToken: cancellationToken);

        // Delivered at home, and a failed home delivery redirected to a locker.
        var delivered = await before.RegisterAsync(shops[8], ToHome(clock.GetUtcNow().AddDays(-2).AddHours(1)), shop, cancellationToken);
        await before.PickUpAsync(new ParcelId(delivered.ParcelId), couriers[2], courier, cancellationToken);
        await before.DeliverAsync(new ParcelId(delivered.ParcelId), couriers[2], courier, cancellationToken: cancellationToken);
        var failed = await now.RegisterAsync(shops[9], ToHome(clock.GetUtcNow().AddMinutes(30)), shop, cancellationToken);
        await now.PickUpAsync(new ParcelId(failed.ParcelId), couriers[2], courier, cancellationToken);
        await projections.CatchUpAsync(cancellationToken);
        await now.FailDeliveryAsync(new ParcelId(failed.ParcelId), couriers[2], "nobody home", courier, cancellationToken: cancellationToken);

        // Expired (deposited six days ago), one already on its way back, one returned to its shop.
        var sixDaysAgo = At(TimeSpan.FromDays(-6));
        var twoHoursAgo = At(TimeSpan.FromHours(-2));
        var expiring = new List<RegisteredParcel>();
        for (var i = 0; i < 3; i++)
        {
            var p = await sixDaysAgo.RegisterAsync(shops[10 + (i % 2)], ToLocker(lockers[i], ParcelSize.S), shop, cancellationToken);
            await sixDaysAgo.PickUpAsync(new ParcelId(p.ParcelId), couriers[i], courier, cancellationToken);
            await sixDaysAgo.DepositAsync(new ParcelId(p.ParcelId), couriers[i], null, courier, cancellationToken);
            await twoHoursAgo.ExpireAsync(new ParcelId(p.ParcelId), new CommandContext(Actor.System), cancellationToken);
            expiring.Add(p);
        }

        // Fetched an hour ago: the doors opened for those couriers then, not when the boards connect now.
        var anHourAgo = At(TimeSpan.FromHours(-1));
        var operatorContext = new CommandContext(new Actor(Roles.Operator, "demo", Amboise));
        await anHourAgo.AssignAsync(new ParcelId(expiring[1].ParcelId), couriers[1], operatorContext, cancellationToken);
        await anHourAgo.AssignAsync(new ParcelId(expiring[2].ParcelId), couriers[2], operatorContext, cancellationToken);
        await anHourAgo.PickUpAsync(new ParcelId(expiring[1].ParcelId), couriers[1], courier, cancellationToken);
        await anHourAgo.PickUpAsync(new ParcelId(expiring[2].ParcelId), couriers[2], courier, cancellationToken);
        await anHourAgo.ReturnAsync(new ParcelId(expiring[2].ParcelId), couriers[2], courier, cancellationToken);

        // Cancelled by its shop.
        var cancelled = await now.RegisterAsync(shops[3], ToLocker(lockers[0], ParcelSize.L), shop, cancellationToken);
        await now.CancelAsync(new ParcelId(cancelled.ParcelId), shops[3], "customer changed their mind", shop, cancellationToken);

        // Chinon: two parcels waiting at their shops, one waiting in the market square's locker.
        var chinonShop = new CommandContext(new Actor(Roles.Shop, "demo", Chinon));
        var chinonCourier = new CommandContext(new Actor(Roles.Courier, "demo", Chinon));
        var chinon = ChinonShopIds;
        await now.RegisterAsync(chinon[0], ToLocker(ChinonLockerId, ParcelSize.M), chinonShop, cancellationToken);
        await now.RegisterAsync(chinon[2], ToLocker(ChinonLockerId, ParcelSize.S), chinonShop, cancellationToken);
        var waiting = await twoHoursAgo.RegisterAsync(chinon[3], ToLocker(ChinonLockerId, ParcelSize.S), chinonShop, cancellationToken);
        await twoHoursAgo.PickUpAsync(new ParcelId(waiting.ParcelId), ChinonCourierId, chinonCourier, cancellationToken);
        await twoHoursAgo.DepositAsync(new ParcelId(waiting.ParcelId), ChinonCourierId, null, chinonCourier, cancellationToken);
        await projections.CatchUpAsync(cancellationToken);
    }
}

/// <summary>A key of the demo: whose, and in which network.</summary>
public sealed record DemoKey(string Name, string Id, string ApiKey, string Network = DemoSeeder.Amboise);

/// <summary>A person's demo account: the page they use, and the e-mail and generated password to sign in with.</summary>
public sealed record DemoPerson(string Role, string Id, string Name, string Email, string Password)
{
    public string Network { get; init; } = DemoSeeder.Amboise;
}

public sealed record DemoCredentials(IReadOnlyList<DemoKey> Shops, IReadOnlyList<DemoKey> Lockers, IReadOnlyList<DemoKey> Couriers)
{
    /// <summary>The key of Amboise's operator (the demo's first network).</summary>
    public string? OperatorKey { get; init; }

    /// <summary>Each network's operator key.</summary>
    public IReadOnlyList<DemoKey>? Operators { get; init; }

    /// <summary>The federation operator's key: every network side by side (GET /api/networks).</summary>
    public string? FederationKey { get; init; }

    /// <summary>People who sign in to the pages (an operator, a shopkeeper of several shops, each courier); machines keep the keys.</summary>
    public IReadOnlyList<DemoPerson>? People { get; init; }
}
