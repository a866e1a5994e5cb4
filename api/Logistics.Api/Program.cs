using Logistics.Api.Hosting;
using Logistics.Api.Pages;
using Logistics.Application.Lockers;
using Logistics.Application.Notifications;
using Logistics.EventStore.PersonalData;

// The API over a PostgreSQL named by LOGISTICS_DB. The demo (a private PostgreSQL, a seeded neighbourhood, simulated
// lockers) is its own program: dotnet run --project api/Logistics.Demo.
if (args.Contains("--demo"))
{
    Console.Error.WriteLine("logistics: the demo is its own program now: dotnet run --project api/Logistics.Demo");
    return 2;
}

var urls = Argument(args, "--urls") ?? Environment.GetEnvironmentVariable("LOGISTICS_URLS") ?? "http://127.0.0.1:5080";
var connectionString = Environment.GetEnvironmentVariable("LOGISTICS_DB");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("logistics: no database: set LOGISTICS_DB to a PostgreSQL connection string, or run the demo: dotnet run --project api/Logistics.Demo");
    return 2;
}

Func<string, string?> env = Environment.GetEnvironmentVariable;
// The maps' street tiles: none unless configured (then the pages' maps draw on a plain background).
MapTiles? mapTiles;
try
{
    mapTiles = MapTiles.Parse(env("LOGISTICS_MAP_TILES"), env("LOGISTICS_MAP_ATTRIBUTION"));
}
catch (FormatException e)
{
    Console.Error.WriteLine($"logistics: LOGISTICS_MAP_TILES: {e.Message}");
    return 2;
}

// The release key's public half, to check the board program's releases when they are published (none: no releases).
string? releasePublicKey = null;
if (env("LOGISTICS_RELEASE_PUBLIC_KEY") is { Length: > 0 } releaseKeyFile)
{
    try
    {
        releasePublicKey = File.ReadAllText(releaseKeyFile);
        LockerReleases.ParseKey(releasePublicKey).Dispose();
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
    {
        Console.Error.WriteLine($"logistics: LOGISTICS_RELEASE_PUBLIC_KEY: {e.Message}");
        return 2;
    }
}

WebApplication app;
try
{
    // Personal keys are wrapped by this KEK (and the previous ones while rotating); erasures are kept in the ledger file.
    var keks = env("LOGISTICS_PERSONAL_DATA_KEK") is { Length: > 0 } kek ? KeyEncryptionKeys.Parse(kek, env("LOGISTICS_PERSONAL_DATA_KEK_PREVIOUS")) : null;
    app = await LogisticsApp.BuildAsync(new LogisticsOptions
    {
        ConnectionString = connectionString,
        Urls = urls,
        OperatorKey = env("LOGISTICS_OPERATOR_KEY"),
        OperatorNetwork = env("LOGISTICS_OPERATOR_NETWORK") ?? Logistics.Application.Networks.NetworkIds.Default,
        FederationKey = env("LOGISTICS_FEDERATION_KEY"),
        ReleasePublicKey = releasePublicKey,
        PublicUrl = env("LOGISTICS_PUBLIC_URL") is { Length: > 0 } publicUrl ? publicUrl : null,
        Smtp = env("LOGISTICS_SMTP_HOST") is { Length: > 0 } host
            ? new SmtpSettings(
                host,
                int.TryParse(env("LOGISTICS_SMTP_PORT"), out var port) ? port : 587,
                env("LOGISTICS_SMTP_FROM") ?? "noreply@localhost",
                env("LOGISTICS_SMTP_TLS") != "0",
                env("LOGISTICS_SMTP_USER"),
                env("LOGISTICS_SMTP_PASSWORD"))
            : null,
        Sms = Uri.TryCreate(env("LOGISTICS_SMS_URL"), UriKind.Absolute, out var sms)
            ? new SmsGatewaySettings(sms, env("LOGISTICS_SMS_TOKEN"), env("LOGISTICS_SMS_SENDER") ?? "Logistics")
            : null,
        NoNotifications = env("LOGISTICS_NO_NOTIFICATIONS") is "1" or "true",
        WebhooksAllowPlainHttp = env("LOGISTICS_WEBHOOKS_ALLOW_HTTP") is "1" or "true",
        MapTiles = mapTiles,
        KeyEncryptionKeys = keks,
        ErasureLedger = env("LOGISTICS_ERASURE_LEDGER"),
        // Planning routes on the street graph once one is loaded (schema "streets" of this database by default).
        Planning = new() { StreetSchema = env("LOGISTICS_STREETS_SCHEMA") ?? "streets", StreetConnectionString = env("LOGISTICS_STREETS_DB") },
    });
}
catch (Exception e) when (e is MissingSendersException or MissingPersonalDataSettingsException or UnknownKeyEncryptionKeyException)
{
    Console.Error.WriteLine($"logistics: {e.Message}");
    return 2;
}
catch (FormatException e)
{
    Console.Error.WriteLine($"logistics: LOGISTICS_PERSONAL_DATA_KEK: {e.Message}");
    return 2;
}

await app.RunAsync();
return 0;

static string? Argument(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>Lets tests start the host in-process.</summary>
public partial class Program;
