using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Notifications;
using Logistics.Application.Projections;
using Logistics.Application.Scheduling;
using Logistics.EventStore.Serialization;
using Logistics.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Logistics.Api.Tests.Support;

/// <summary>
/// The real API host on a loopback port, over its own fresh PostgreSQL database, with a clock the test drives.
/// Background work is off: a test calls <see cref="SettleAsync"/> to bring read models up to date and send the
/// queued messages, so what it asserts does not depend on timing.
/// </summary>
public sealed class ApiServer : IAsyncLifetime
{
    public const string OperatorKey = "lg_operator_TESTTESTTESTTESTTESTTESTTESTTEST";

    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturingSender Sms { get; } = new(Channel.Sms);

    public CapturingSender Email { get; } = new(Channel.Email);

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public static JsonSerializerOptions Json { get; } = JsonOptions.Create();

    public async Task InitializeAsync()
    {
        App = await LogisticsApp.BuildAsync(new LogisticsOptions
        {
            ConnectionString = await PostgresServer.CreateDatabaseAsync("api"),
            Urls = "http://127.0.0.1:0",
            OperatorKey = OperatorKey,
            Clock = Clock,
            BackgroundWork = false,
            Senders = [Sms, Email],
        });
        await App.StartAsync();
        BaseAddress = new Uri(App.Urls.First());
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
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

    public Task<int> RunSchedulerAsync() => App.Services.GetRequiredService<ParcelScheduler>().RunDueAsync();

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }
}

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }, options: ApiServer.Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>Asserts success, showing the problem document otherwise.</summary>
    public static async Task OkAsync(this HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(body) ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
