using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Lockers;
using Logistics.Application.Notifications;
using Logistics.Application.Projections;
using Logistics.EventStore.Serialization;
using Logistics.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// The real core (API, gateway, event store) on a loopback port over its own fresh database in the test process's
/// private PostgreSQL. The clock is the real one: the boards stamp their events with real time too. Projections
/// and messages run when a test calls <see cref="SettleAsync"/>, so assertions do not race background work.
/// </summary>
public sealed class CoreServer : IAsyncDisposable
{
    public const string OperatorKey = "lg_operator_E2EE2EE2EE2EE2EE2EE2EE2EE2EE2EE2E";

    private CoreServer(WebApplication app, CapturingSender sms)
    {
        App = app;
        Sms = sms;
        BaseAddress = new Uri(app.Urls.First());
    }

    public WebApplication App { get; }

    public CapturingSender Sms { get; }

    public Uri BaseAddress { get; }

    public static JsonSerializerOptions Json { get; } = JsonOptions.Create();

    public static async Task<CoreServer> StartAsync()
    {
        var sms = new CapturingSender(Channel.Sms);
        var app = await LogisticsApp.BuildAsync(new LogisticsOptions
        {
            ConnectionString = await PostgresServer.CreateDatabaseAsync("e2e"),
            Urls = "http://127.0.0.1:0",
            OperatorKey = OperatorKey,
            BackgroundWork = false,
            Senders = [sms, new CapturingSender(Channel.Email)],
        });
        await app.StartAsync();
        return new CoreServer(app, sms);
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

    public HttpClient Operator() => Client(OperatorKey);

    /// <summary>Read models catch up with every committed event; due messages are sent.</summary>
    public async Task SettleAsync()
    {
        await App.Services.GetRequiredService<ProjectionHost>().CatchUpAsync();
        await App.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();
    }

    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<System.Data.Common.DbDataReader, T> read, params object?[] args) =>
        App.Services.GetRequiredService<ReadModels>().QueryAsync(sql, read, CancellationToken.None, args);

    /// <summary>The highest event of a board the core has stored (and acknowledged).</summary>
    public Task<long> AckedSeqAsync(string deviceId) => App.Services.GetRequiredService<LockerDevices>().AckedSeqAsync(deviceId, CancellationToken.None);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }, options: CoreServer.Json) };
        return client.SendAsync(request);
    }

    /// <summary>Asserts success, showing the problem document otherwise.</summary>
    public static async Task OkAsync(this HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
