using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Planning;
using Logistics.Application.Streams;
using Logistics.EventStore.PersonalData;

namespace Logistics.Demo;

/// <summary>
/// The demo network on a database it is given: the API, the neighbourhood seeded on first start (shops, lockers,
/// couriers, parcels in every state, the morning's rounds planned), the lockers' simulated boards connected over
/// their WebSocket with their pages, and everyone's keys (kept in <c>demo-credentials.json</c> of the data
/// directory). What <c>--demo</c> runs, on the embedded PostgreSQL; tests run it on theirs.
/// </summary>
public sealed class DemoNetwork : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly LogisticsOptions _options;
    private readonly DemoInbox _inbox;
    private readonly List<WebApplication> _moreNodes = [];

    private DemoNetwork(WebApplication app, LogisticsOptions options, DemoInbox inbox, DemoLockers lockers, DemoCredentials keys, string credentialsFile, bool seeded, PlanningResult? plan)
    {
        _options = options;
        _inbox = inbox;
        App = app;
        Lockers = lockers;
        Keys = keys;
        CredentialsFile = credentialsFile;
        Seeded = seeded;
        Plan = plan;
    }

    public WebApplication App { get; }

    public DemoLockers Lockers { get; }

    public DemoCredentials Keys { get; }

    public string CredentialsFile { get; }

    /// <summary>Whether this start seeded the neighbourhood (the first run on a database).</summary>
    public bool Seeded { get; }

    /// <summary>The morning's planning, when this start seeded.</summary>
    public PlanningResult? Plan { get; }

    /// <summary>The first URL the API listens on, without a trailing slash.</summary>
    public string Url => App.Urls.First().TrimEnd('/');

    /// <param name="options">The API's options; <see cref="LogisticsOptions.Urls"/> must name a fixed port (the boards connect to it).</param>
    /// <param name="dataDirectory">Where the keys file and the boards' journals and keys live.</param>
    /// <param name="args">Host arguments (e.g. <c>--contentRoot=…</c>).</param>
    /// <param name="boardsUrl">Where the boards connect (a load balancer in front of several nodes); the API's own address by default.</param>
    public static async Task<DemoNetwork> StartAsync(LogisticsOptions options, string dataDirectory, string[]? args = null, Action<string>? log = null, Uri? boardsUrl = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        Directory.CreateDirectory(dataDirectory);
        var credentialsFile = Path.Combine(dataDirectory, "demo-credentials.json");
        var saved = File.Exists(credentialsFile)
            ? JsonSerializer.Deserialize<DemoCredentials>(await File.ReadAllTextAsync(credentialsFile, cancellationToken))
            : null;
        var operatorKey = saved?.OperatorKey ?? options.OperatorKey ?? $"lg_operator_{Base32.Random(32)}";
        var federationKey = saved?.FederationKey ?? options.FederationKey ?? $"lg_federation_{Base32.Random(32)}";
        options = options with
        {
            KeyEncryptionKeys = options.KeyEncryptionKeys ?? KeyEncryptionKeys.Parse(await DemoKekAsync(dataDirectory, cancellationToken)),
            ErasureLedger = options.ErasureLedger ?? Path.Combine(dataDirectory, "erasures.ledger"),
            ReleasePublicKey = options.ReleasePublicKey ?? await DemoReleaseKeyAsync(dataDirectory, cancellationToken),
        };
        // Without senders of its own (the tests bring theirs), the demo keeps what it would send in its inbox page.
        var inbox = new DemoInbox();
        options = options with { OperatorKey = operatorKey, OperatorNetwork = DemoSeeder.Amboise, FederationKey = federationKey, Senders = options.Senders ?? [inbox.Sms, inbox.Email] };
        var app = await LogisticsApp.BuildAsync(options, args, cancellationToken);
        inbox.MapPage(app);
        DemoLockers? lockers = null;
        try
        {
            var seeder = new DemoSeeder(app.Services);
            var seeded = await seeder.SeedNetworkAsync(cancellationToken);

            // The lockers' boards are registered before any parcel is deposited, so the codes reach them.
            // They run in this process: over loopback when the core listens on every address (plain ws leaves no machine).
            var coreUrl = boardsUrl ?? new Uri(System.Text.RegularExpressions.Regex.Replace(options.Urls.Split(';')[0].TrimEnd('/'), @"//(0\.0\.0\.0|\[::\]|\+|\*)(?=[:/]|$)", "//127.0.0.1") + "/");
            lockers = await DemoLockers.PrepareAsync(app.Services, Path.Combine(dataDirectory, "lockers"), coreUrl, log, cancellationToken);
            lockers.MapPages(app);
            PlanningResult? plan = null;
            if (seeded)
            {
                await seeder.SeedParcelsAsync(cancellationToken);
                plan = await seeder.StartRoundsAsync(cancellationToken);
            }

            if (saved is null || saved.People is null || saved.Operators is null)
            {
                saved = saved?.Operators is null ? await seeder.IssueKeysAsync(operatorKey, federationKey, cancellationToken) : saved;
                saved = saved with { People = await seeder.CreatePeopleAsync(saved, cancellationToken) };
                await File.WriteAllTextAsync(credentialsFile, JsonSerializer.Serialize(saved, Indented), cancellationToken);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(credentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            await app.StartAsync(cancellationToken);
            lockers.Connect();
            return new DemoNetwork(app, options, inbox, lockers, saved, credentialsFile, seeded, plan);
        }
        catch
        {
            if (lockers is not null)
            {
                await lockers.DisposeAsync();
            }

            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The demo's key-encryption key: made on its first start and kept in <c>personal-data.kek</c> of the data
    /// directory (readable by its owner only), as the demo keeps its other keys; a real host is given one.
    /// </summary>
    /// <summary>Where the demo keeps the release key (as a release manager would, apart from the core: the core reads only its public half).</summary>
    public static string ReleaseKeyFile(string dataDirectory) => Path.Combine(dataDirectory, "release", "release.pem");

    // The demo plays the release manager too: it makes a release key once, and gives the core its public half.
    private static async Task<string> DemoReleaseKeyAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var file = ReleaseKeyFile(dataDirectory);
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            await File.WriteAllTextAsync(file, key.ExportPkcs8PrivateKeyPem(), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await File.WriteAllTextAsync(file + ".pub", key.ExportSubjectPublicKeyInfoPem(), cancellationToken);
        }

        return await File.ReadAllTextAsync(file + ".pub", cancellationToken);
    }

    private static async Task<string> DemoKekAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataDirectory, "personal-data.kek");
        if (File.Exists(file))
        {
            return (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }

        var kek = KeyEncryptionKeys.NewBase64();
        await File.WriteAllTextAsync(file, kek, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return kek;
    }

    /// <summary>
    /// Another API node over the same database, on <paramref name="url"/>: its own background work (under the same
    /// leases), the same key ring, the same demo inbox and locker pages (the boards run in this process), so a load
    /// balancer may send any request to either node.
    /// </summary>
    public async Task<WebApplication> StartNodeAsync(string url, CancellationToken cancellationToken = default)
    {
        var node = await LogisticsApp.BuildAsync(_options with { Urls = url }, null, cancellationToken);
        _inbox.MapPage(node);
        Lockers.MapPages(node);
        await node.StartAsync(cancellationToken);
        _moreNodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _moreNodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }

        await App.StopAsync();
        await Lockers.DisposeAsync();
        await App.DisposeAsync();
    }
}
