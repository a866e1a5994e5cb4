using System.Text.Json;
using Logistics.Application.Notifications;
using Logistics.Testing.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Logistics.Lockers.E2E.Tests.Support;

/// <summary>
/// An SMS gateway on loopback for a node running as its own process (the HTTP gateway's shape: JSON to, text,
/// sender): what it receives joins what the in-process core captured, so a test finds a code whichever node sent it.
/// </summary>
public sealed class SmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SmsGateway(WebApplication app) => _app = app;

    public Uri Url => new(_app.Urls.First() + "/sms");

    public static async Task<SmsGateway> StartAsync(CapturingSender into)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/sms", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            await into.SendAsync(
                new Message(Channel.Sms, body.RootElement.GetProperty("to").GetString()!, "", body.RootElement.GetProperty("text").GetString()!),
                CancellationToken.None);
            return Results.Ok();
        });
        await app.StartAsync();
        return new SmsGateway(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
