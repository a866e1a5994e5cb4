using Logistics.Lockers.Host.Board;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
        LockerWebUi.Map(web, "/", app);
        await web.StartAsync(cancellationToken);
        return web;
    }
}
