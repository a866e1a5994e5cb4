namespace Logistics.Api.Pages;

/// <summary>The pages people use (shop counter, courier round, customer tracking, operator console) and their live feed.</summary>
public static class PageEndpoints
{
    public static void MapPages(this WebApplication app)
    {
        app.MapGet("/", (IWebHostEnvironment env) => Page(env, "index.html")).ExcludeFromDescription();
        app.MapGet("/track/{trackingId}", (IWebHostEnvironment env) => Page(env, "track.html")).ExcludeFromDescription();
        app.MapGet("/track", (IWebHostEnvironment env) => Page(env, "track.html")).ExcludeFromDescription();
        app.MapGet("/shop", (IWebHostEnvironment env) => Page(env, "shop.html")).ExcludeFromDescription();
        app.MapGet("/courier", (IWebHostEnvironment env) => Page(env, "courier.html")).ExcludeFromDescription();
        app.MapGet("/operator", (IWebHostEnvironment env) => Page(env, "operator.html")).ExcludeFromDescription();
        app.MapGet("/federation", (IWebHostEnvironment env) => Page(env, "federation.html")).ExcludeFromDescription();
        app.MapGet("/homebox/{boxId}", (IWebHostEnvironment env) => Page(env, "homebox.html")).ExcludeFromDescription();
        app.MapLiveFeed();
        app.MapMapSettings();
    }

    // The pages are static shells: each route answers its HTML file, and the page's script reads the path.
    private static IResult Page(IWebHostEnvironment env, string file)
    {
        var info = env.WebRootFileProvider.GetFileInfo(file);
        return info.Exists && info.PhysicalPath is { } path
            ? Results.File(path, "text/html; charset=utf-8")
            : Results.Problem(statusCode: 404, title: "Page missing", detail: $"The page {file} is not installed next to the server.");
    }
}
