using Logistics.Api.Hosting;
using Logistics.Api.Pages;

namespace Logistics.Api.Infrastructure;

/// <summary>
/// Headers on every answer that keep a page from being framed, sniffed or made to run someone else's script: the
/// pages load their scripts from this server only (no inline script), connect to it only, and are never framed.
/// The API documentation (<c>/docs</c>, Swagger UI) needs inline script and gets a policy of its own. Images come
/// from this server too, and from the maps' tile server when one is configured (<see cref="MapTiles"/>).
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, LogisticsOptions options)
{
    private readonly string _pagePolicy = PagePolicy(options.MapTiles);

    public static string PagePolicy(MapTiles? tiles) =>
        $"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:{(tiles is null ? "" : $" {tiles.ImageSource}")}; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // Set as the answer starts: an error page (the exception handler clears the headers) carries them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") ? DocsPolicy : _pagePolicy;
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "geolocation=(self), camera=(self), microphone=()";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
