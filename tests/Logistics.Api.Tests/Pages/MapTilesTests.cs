using Logistics.Api.Pages;

namespace Logistics.Api.Tests.Pages;

/// <summary>The tile server's setting: none without a URL; a template the maps can use, and the source the page policy allows.</summary>
public sealed class MapTilesTests
{
    [Fact]
    public void NoUrlMeansNoTilesAndAPlainBackground()
    {
        Assert.Null(MapTiles.Parse(null, "ignored"));
        Assert.Null(MapTiles.Parse("  ", null));
    }

    [Fact]
    public void SubdomainsOfTheTileServerAreAllowedByAWildcardAndOpenStreetMapIsCreditedByDefault()
    {
        var tiles = MapTiles.Parse("https://{s}.tile.example.org/{z}/{x}/{y}.png", null)!;
        Assert.Equal("https://*.tile.example.org", tiles.ImageSource);
        Assert.Equal("https://{s}.tile.example.org/{z}/{x}/{y}.png", tiles.Url);
        Assert.Equal(MapTiles.OpenStreetMapAttribution, tiles.Attribution);
    }

    [Fact]
    public void AServerOnItsOwnPortIsAllowedOnThatPortOnly()
    {
        var tiles = MapTiles.Parse("http://127.0.0.1:8089/tiles/{z}/{x}/{y}.png?style=plain", "Tiles: our own")!;
        Assert.Equal("http://127.0.0.1:8089", tiles.ImageSource);
        Assert.Equal("Tiles: our own", tiles.Attribution);
    }

    [Theory]
    [InlineData("https://tile.example.org/{z}/{x}.png")]
    [InlineData("tile.example.org/{z}/{x}/{y}.png")]
    [InlineData("ftp://tile.example.org/{z}/{x}/{y}.png")]
    [InlineData("https://tiles-{s}.example.org/{z}/{x}/{y}.png")]
    public void ATemplateTheMapsCouldNotUseStopsTheStart(string url) =>
        Assert.Throws<FormatException>(() => MapTiles.Parse(url, null));
}
