using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Notifications;
using Logistics.Application.ProcessManagers;
using Logistics.Application.Streams;
using Logistics.Application.Webhooks;
using Logistics.Domain;
using Logistics.Domain.Lockers;
using Logistics.EventStore.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Logistics.Testing.Core;

/// <summary>
/// The real core (API, gateway, event store, pages) on a loopback port over its own fresh database of the test
/// process's private PostgreSQL, with its SMS/e-mail boundary captured. By default the clock is manual and the
/// background work is off: a test calls <see cref="SettleAsync"/> to finish what follows its requests (process
/// managers, read models, messages), so what it asserts does not depend on timing. Boards stamp real time, so their
/// tests use the real clock; pages wait for their live feed, so their tests turn background work on.
/// </summary>
public sealed class TestCore : IAsyncDisposable
{
    public const string OperatorKey = "lg_operator_TESTTESTTESTTESTTESTTESTTESTTEST";

    /// <summary>The federation operator's key: every network side by side, new networks.</summary>
    public const string FederationKey = "lg_federation_TESTTESTTESTTESTTESTTESTTESTTE";

    private TestCore(WebApplication app, TimeProvider time, string connectionString, CapturingSender sms, CapturingSender email)
    {
        App = app;
        Time = time;
        ConnectionString = connectionString;
        Sms = sms;
        Email = email;
        BaseAddress = new Uri(app.Urls.First());
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public TimeProvider Time { get; }

    /// <summary>The clock the test drives (cores started with <c>realClock: false</c>, the default).</summary>
    public ManualTimeProvider Clock => Time as ManualTimeProvider ?? throw new InvalidOperationException("This core runs on the real clock.");

    /// <summary>Its database: a second core (a restart, another node) may be started on it.</summary>
    public string ConnectionString { get; }

    public CapturingSender Sms { get; }

    public CapturingSender Email { get; }

    public Uri BaseAddress { get; }

    public static JsonSerializerOptions Json { get; } = JsonOptions.Create();

    /// <param name="realClock">The system clock instead of a manual one.</param>
    /// <param name="backgroundWork">Process managers, projections, outbox and schedulers run by themselves.</param>
    /// <param name="connectionString">An existing database (a restart); a fresh one by default.</param>
    /// <param name="configure">Changes to the host's options (planning, policy, fault injection…).</param>
    public static async Task<TestCore> StartAsync(
        bool realClock = false, bool backgroundWork = false, string? connectionString = null, Func<LogisticsOptions, LogisticsOptions>? configure = null, TimeProvider? clock = null)
    {
        var time = clock ?? (realClock ? TimeProvider.System : new ManualTimeProvider(DateTimeOffset.UtcNow));
        var sms = new CapturingSender(Channel.Sms);
        var email = new CapturingSender(Channel.Email);
        connectionString ??= await PostgresServer.CreateDatabaseAsync("core");
        var options = new LogisticsOptions
        {
            ConnectionString = connectionString,
            Urls = "http://127.0.0.1:0",
            OperatorKey = OperatorKey,
            FederationKey = FederationKey,
            Clock = time,
            BackgroundWork = backgroundWork,
            Senders = [sms, email],
            // Tests read the customer's view to follow what happens, far faster than any customer: the per-address
            // limit is tested on its own (PickupCodeTests) with the production value.
            TrackingRequestsPerMinute = 100_000,
            // Likewise for signing in: the per-address limit is tested on its own (SessionTests).
            SignInRequestsPerMinute = 100_000,
            KeyEncryptionKeys = TestKeks.Shared,
            ErasureLedger = ErasureLedgerOf(connectionString),
            // Receivers in tests listen on loopback over http.
            WebhooksAllowPlainHttp = true,
        };
        options = configure?.Invoke(options) ?? options;
        CapturingLogs? errors = null;
        var logging = options.Logging;
        var app = await LogisticsApp.BuildAsync(options with
        {
            Logging = builder =>
            {
                errors = ServerErrors.Capture(builder);
                logging?.Invoke(builder);
            },
        });
        await app.StartAsync();
        var core = new TestCore(app, time, connectionString, sms, email);
        ServerErrors.Register(core.BaseAddress, errors!);
        RunningHosts.Add(core.BaseAddress, app.Services);
        return core;
    }

    /// <summary>
    /// The erasure ledger of a database: one file per database in the temporary folder, so that a core restarted over
    /// the same database (or over a restored copy of it) finds the erasures made before.
    /// </summary>
    public static string ErasureLedgerOf(string connectionString) =>
        Path.Combine(Path.GetTempPath(), "logistics-test-erasures", new NpgsqlConnectionStringBuilder(connectionString).Database + ".ledger");

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Operator() => Client(OperatorKey);

    public HttpClient Federation() => Client(FederationKey);

    /// <summary>The federation makes another network: the key of its first operator.</summary>
    public async Task<string> CreateNetworkAsync(string id, string name) =>
        (await ReadAsync<JsonElement>(await Federation().PostJsonAsync("/api/networks", new { id, name }))).GetProperty("operatorKey").GetString()!;

    /// <summary>Finishes what follows the requests made so far: process managers, read models, due messages.</summary>
    public async Task SettleAsync()
    {
        await Services.GetRequiredService<ProcessManagerHost>().CatchUpAsync();
        await Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();
        await Services.GetRequiredService<WebhookDispatcher>().DispatchDueAsync();
    }

    /// <summary>
    /// The pickup code the recipient was sent for a tracking number, waiting a little when the background dispatcher
    /// holds the message (cores with background work on send it themselves).
    /// </summary>
    public async Task<string> CodeSentAsync(string trackingId, string? phone)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if ((Sms.FindCodeFor(trackingId, phone) ?? Email.FindCodeFor(trackingId, phone)) is { } code)
            {
                return code;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No pickup code was sent for {trackingId}.");
            }

            await Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();
            await Task.Delay(50);
        }
    }

    /// <summary>Reads the database directly: what a test checks beside the API (stored device events, queued commands).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object?[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Decides a command on a locker's stream directly, as a bug or a hand-made fix would (tests of the repair).</summary>
    public Task AppendAsync(string lockerId, LockerCommand command) =>
        Services.GetRequiredService<EventStreams>().HandleAsync(
            Deciders.Locker, Deciders.Stream(new LockerId(lockerId)), _ => command, new CommandContext(new Actor(Roles.System, "test")));

    /// <summary>A locker's events, oldest first.</summary>
    public async Task<IReadOnlyList<LockerEvent>> LockerEventsAsync(string lockerId)
    {
        var streams = Services.GetRequiredService<EventStreams>();
        var recorded = await streams.Store.ReadStreamAsync(Deciders.Stream(new LockerId(lockerId)));
        return [.. recorded.Select(streams.Serializer.Deserialize).OfType<LockerEvent>()];
    }

    /// <summary>A parcel's events, oldest first.</summary>
    public async Task<IReadOnlyList<Domain.Parcels.ParcelEvent>> ParcelEventsAsync(string parcelId)
    {
        var streams = Services.GetRequiredService<EventStreams>();
        var recorded = await streams.Store.ReadStreamAsync(Deciders.Stream(new ParcelId(parcelId)));
        return [.. recorded.Select(streams.Serializer.Deserialize).OfType<Domain.Parcels.ParcelEvent>()];
    }

    /// <summary>The operator (of the first network, or the one given) registers a shop, locker or courier: its id and API key.</summary>
    public async Task<(string Id, string Key)> RegisterAsync(string path, object body, HttpClient? asOperator = null)
    {
        var json = await ReadAsync<JsonElement>(await (asOperator ?? Operator()).PostJsonAsync(path, body));
        return (json.GetProperty("id").GetString()!, json.GetProperty("apiKey").GetString()!);
    }

    /// <summary>The answer's body, or an exception showing the status and the problem document.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(await ServerErrors.DescribeAsync(response));
        }

        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public async ValueTask DisposeAsync()
    {
        RunningHosts.Remove(BaseAddress);
        ServerErrors.Forget(BaseAddress);
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }, options: TestCore.Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>Throws unless the answer is a success, showing the problem document.</summary>
    public static async Task OkAsync(this HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(await ServerErrors.DescribeAsync(response));
        }
    }

    /// <summary>The answer's JSON (default for an empty body), whatever its status.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(body) ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
