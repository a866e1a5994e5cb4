using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Application.Notifications;
using Logistics.EventStore.Serialization;
using Logistics.Testing;
using Microsoft.AspNetCore.Builder;

namespace Logistics.Web.Tests.Support;

/// <summary>
/// The real host on a loopback port over its own fresh PostgreSQL database, serving the pages from the API
/// project's wwwroot. Background work is on (projections, outbox), as in production, because the pages wait for
/// their live feed rather than being told when to look.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    public const string OperatorKey = "lg_operator_WEBTESTWEBTESTWEBTESTWEBTEST";

    public CapturingSender Sms { get; } = new(Channel.Sms);

    public CapturingSender Email { get; } = new(Channel.Email);

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public static JsonSerializerOptions Json { get; } = JsonOptions.Create();

    public static async Task<WebServer> StartAsync()
    {
        var server = new WebServer();
        var contentRoot = Path.Combine(Repository.Root, "api", "Logistics.Api");
        server.App = await LogisticsApp.BuildAsync(
            new LogisticsOptions
            {
                ConnectionString = await PostgresServer.CreateDatabaseAsync("web"),
                Urls = "http://127.0.0.1:0",
                OperatorKey = OperatorKey,
                BackgroundWork = true,
                Senders = [server.Sms, server.Email],
            },
            [$"--contentRoot={contentRoot}"]);
        await server.App.StartAsync();
        server.BaseAddress = new Uri(server.App.Urls.First());
        return server;
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

    public async Task<(string Id, string Key)> RegisterAsync(string path, object body)
    {
        using var client = Client(OperatorKey);
        var response = await client.PostAsJsonAsync(path, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement;
        return (json.GetProperty("id").GetString()!, json.GetProperty("apiKey").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
