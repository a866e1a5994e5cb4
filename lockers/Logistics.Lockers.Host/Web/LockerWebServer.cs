using Logistics.Lockers.Host.Board;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Logistics.Lockers.Host.Web;

/// <summary>The board's own web server for <c>--web URL</c>: Kestrel serving the locker page at the root.</summary>
public static class LockerWebServer
{
    /// <summary>Starts listening on <paramref name="url"/> (port 0 picks a free one); the bound address is in <c>Urls</c>.</summary>
    public static async Task<WebApplication> StartAsync(string url, LockerApp app, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var web = builder.Build();
        // A request the board fails is answered as a problem and said in the board's log (the exception's type and
        // message: the page's input, a code, is not in them).
        web.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
            {
                app.Log($"page {http.Request.Method} {http.Request.Path} failed: {e.GetType().Name}: {e.Message}");
                await Results.Problem(title: "The board could not do that.", statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(http);
            }
        });
        LockerWebUi.Map(web, "/", app);
        await web.StartAsync(cancellationToken);
        return web;
    }
}
