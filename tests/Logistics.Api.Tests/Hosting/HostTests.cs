using System.Net;
using Logistics.Api.Tests.Support;

namespace Logistics.Api.Tests.Hosting;

/// <summary>The host itself: health, the OpenAPI document, the browsable API.</summary>
public sealed class HostTests : ApiTest
{
    [Fact]
    public async Task HealthOpenApiAndTheBrowsableApiAnswer()
    {
        var client = Server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/parcels", openApi, StringComparison.Ordinal);
        Assert.Contains("/api/track/{trackingId}/collect", openApi, StringComparison.Ordinal);
        Assert.Contains("swagger", await client.GetStringAsync("/docs/index.html"), StringComparison.OrdinalIgnoreCase);
    }
}
