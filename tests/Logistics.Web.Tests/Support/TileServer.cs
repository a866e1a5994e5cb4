using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Logistics.Web.Tests.Support;

/// <summary>
/// A street-tile server on a loopback port: any <c>/{z}/{x}/{y}.png</c> answers one small PNG (a 1×1 light-green
/// pixel, which the map stretches over the tile), and every request is kept with its Referer for the test to read.
/// </summary>
public sealed partial class TileServer : IAsyncDisposable
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGO48eQCAAUkAo1S2BuqAAAAAElFTkSuQmCC");

    private readonly ConcurrentQueue<TileRequest> _requests = new();
    private WebApplication _app = null!;

    private TileServer()
    {
    }

    /// <summary>The server's origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin => _app.Urls.First().TrimEnd('/');

    /// <summary>The URL template the core is given.</summary>
    public string Template => $"{Origin}/{{z}}/{{x}}/{{y}}.png";

    public IReadOnlyList<TileRequest> Requests => [.. _requests];

    public static async Task<TileServer> StartAsync()
    {
        var server = new TileServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server._app = builder.Build();
        server._app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            server._requests.Enqueue(new TileRequest(path, context.Request.Headers.Referer.ToString()));
            if (!TilePath().IsMatch(path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(Png);
        });
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex(@"^/\d{1,2}/\d+/\d+\.png$")]
    private static partial Regex TilePath();

    public sealed record TileRequest(string Path, string Referer);
}
