using Logistics.Api.Hosting;

namespace Logistics.Api.Pages;

/// <summary>What the pages' maps draw on: the configured tile server and its attribution, or none (a plain background).</summary>
public static class MapEndpoints
{
    public sealed record MapSettings(string? Tiles, string? Attribution);

    public static void MapMapSettings(this WebApplication app) =>
        app.MapGet("/api/map", (LogisticsOptions options) => TypedResults.Ok(new MapSettings(options.MapTiles?.Url, options.MapTiles?.Attribution)))
            .AllowAnonymous()
            .WithTags("Pages")
            .WithName("getMapSettings")
            .WithSummary("The tile server the pages' maps load streets from, and its attribution; both null when none is configured and maps draw on a plain background.");
}
