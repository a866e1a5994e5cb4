using System.Net;
using System.Text.Json;
using Logistics.Api.Hosting;
using Logistics.Api.Tests.Support;

namespace Logistics.Api.Tests.Lockers;

/// <summary>
/// The released board programs are downloaded anonymously (a board trusts them through their signature), so the
/// downloads are limited per client address: a bundle is megabytes read from PostgreSQL, and anyone may ask.
/// </summary>
public sealed class ReleaseDownloadTests : ApiTest
{
    protected override LogisticsOptions Configure(LogisticsOptions options) => options with { ReleaseDownloadsPerMinute = 3 };

    [Fact]
    public async Task DownloadsOfReleasesAreLimitedPerAddressWithAProblemAndRetryAfter()
    {
        var anonymous = Server.Client();
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "manifest.json", "bundle.tar.gz", "manifest.json", "bundle.tar.gz" })
        {
            using var response = await anonymous.GetAsync($"/api/lockers/releases/9.9.9/{path}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);

        // The address stays limited for the minute; the other anonymous endpoints are not held by it.
        using var again = await anonymous.GetAsync("/api/lockers/releases/9.9.9/manifest.json");
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        using var tracking = await anonymous.GetAsync("/api/track/LG-0000-0000");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, tracking.StatusCode);
    }
}
