namespace Logistics.Api.Pages;

/// <summary>
/// Where the pages' maps get their street tiles: an OpenStreetMap-compatible tile server's URL template
/// (<c>https://tile.example.org/{z}/{x}/{y}.png</c>, <c>{s}</c> for its subdomains) and the attribution its licence
/// asks for. Without one the maps draw on a plain background and no request leaves the network.
/// </summary>
public sealed record MapTiles
{
    /// <summary>The attribution of OpenStreetMap's data, which every OpenStreetMap-compatible server serves.</summary>
    public const string OpenStreetMapAttribution = "© OpenStreetMap contributors";

    private MapTiles(string url, string attribution, string imageSource)
    {
        Url = url;
        Attribution = attribution;
        ImageSource = imageSource;
    }

    public string Url { get; }

    public string Attribution { get; }

    /// <summary>The tile server's origin as a Content-Security-Policy source (<c>{s}</c> becomes a wildcard subdomain).</summary>
    public string ImageSource { get; }

    /// <summary>Reads LOGISTICS_MAP_TILES and LOGISTICS_MAP_ATTRIBUTION: none when no URL is given.</summary>
    /// <exception cref="FormatException">The URL is not an http(s) template with {z}, {x} and {y}.</exception>
    public static MapTiles? Parse(string? url, string? attribution)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        if (!url.Contains("{z}", StringComparison.Ordinal) || !url.Contains("{x}", StringComparison.Ordinal) || !url.Contains("{y}", StringComparison.Ordinal))
        {
            throw new FormatException("the tile URL must name {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png");
        }

        // {s} may only be the host's first label, the one a CSP wildcard stands for: elsewhere in the host, no URL parses.
        var subdomains = url.Contains("://{s}.", StringComparison.Ordinal);
        if (!Uri.TryCreate(subdomains ? url.Replace("://{s}.", "://a.", StringComparison.Ordinal) : url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http"))
        {
            throw new FormatException("the tile URL must be an absolute http(s) URL, {s} standing only for the host's first label");
        }

        var host = subdomains ? "*" + uri.Host[uri.Host.IndexOf('.', StringComparison.Ordinal)..] : uri.Host;
        var source = $"{uri.Scheme}://{host}{(uri.IsDefaultPort ? "" : $":{uri.Port}")}";
        return new MapTiles(url, string.IsNullOrWhiteSpace(attribution) ? OpenStreetMapAttribution : attribution.Trim(), source);
    }
}
