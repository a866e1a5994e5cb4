extern alias LogisticsApi;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Logistics.EventStore.Embedded;
using Logistics.EventStore.PersonalData;
using LogisticsApi::Logistics.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Logistics.Perf.LockerBoard;

/// <summary>
/// The real core for the locker runner's drains: API, gateway and event store on a private durable PostgreSQL (fsync
/// on), on a loopback port, with an operator key to register lockers as an operator would.
/// </summary>
internal sealed class PerfCore : IAsyncDisposable
{
    private const string OperatorKey = "lg_operator_PERFPERFPERFPERFPERFPERFPERFPERF";

    private readonly EmbeddedPostgres _database;
    private readonly WebApplication _core;
    private readonly LogisticsOptions _options;
    private readonly List<WebApplication> _moreNodes = [];

    private PerfCore(EmbeddedPostgres database, WebApplication core, LogisticsOptions options, HttpClient op, string corePem)
    {
        _database = database;
        _core = core;
        _options = options;
        Operator = op;
        CorePublicKeyPem = corePem;
    }

    public Uri Url => Operator.BaseAddress!;

    public HttpClient Operator { get; }

    public string CorePublicKeyPem { get; }

    public string ConnectionString => _database.ConnectionString("logistics");

    /// <summary>The first node's services (the federation runner drives its outbox).</summary>
    public IServiceProvider Services => _core.Services;

    /// <param name="configure">Changes to the core's options (the federation runner's key, senders and policy).</param>
    public static async Task<PerfCore> StartAsync(string folder, Func<LogisticsOptions, LogisticsOptions>? configure = null)
    {
        var database = await EmbeddedPostgres.StartAsync(Path.Combine(folder, "pg"), new EmbeddedPostgresOptions { Durable = true });
        await database.CreateDatabaseAsync("logistics");
        var options = new LogisticsOptions
        {
            ConnectionString = database.ConnectionString("logistics"),
            Urls = "http://127.0.0.1:0",
            OperatorKey = OperatorKey,
            KeyEncryptionKeys = KeyEncryptionKeys.Parse(KeyEncryptionKeys.NewBase64()),
            ErasureLedger = Path.Combine(folder, "erasures.ledger"),
            NoNotifications = true,
            // Every board's connection and batch would be a line on standard output, which holds the tables.
            Logging = logging => logging.SetMinimumLevel(LogLevel.Warning),
        };
        options = configure?.Invoke(options) ?? options;
        var core = await LogisticsApp.BuildAsync(options);
        await core.StartAsync();
        var op = new HttpClient { BaseAddress = new Uri(core.Urls.First()) };
        op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return new PerfCore(database, core, options, op, await op.GetStringAsync("/api/lockers/core-public-key"));
    }

    /// <summary>Another API node on the same database and options (its own background work under the same leases); returns its URL.</summary>
    public async Task<Uri> StartNodeAsync()
    {
        var node = await LogisticsApp.BuildAsync(_options with { Urls = "http://127.0.0.1:0" });
        await node.StartAsync();
        _moreNodes.Add(node);
        return new Uri(node.Urls.First());
    }

    /// <summary>Registers a locker of <paramref name="compartments"/> small compartments with its board's key; returns its id.</summary>
    public async Task<string> RegisterLockerAsync(string name, string devicePublicKeyPem, int compartments)
    {
        var registered = await Operator.PostAsJsonAsync("/api/lockers", new
        {
            name,
            address = "Place de la Mairie",
            latitude = 47.41,
            longitude = 0.98,
            devicePublicKey = devicePublicKeyPem,
            compartments = Enumerable.Range(1, compartments).Select(n => new { number = n, size = "S", lowHeight = false }),
        });
        registered.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Runs a query on the core's database (the checks after a drain).</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Operator.Dispose();
        foreach (var node in _moreNodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }

        await _core.StopAsync();
        await _core.DisposeAsync();
        await _database.DisposeAsync();
    }
}
