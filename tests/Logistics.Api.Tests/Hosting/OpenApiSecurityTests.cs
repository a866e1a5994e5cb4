using System.Text.Json.Nodes;
using Logistics.Api.Auth;
using Logistics.Api.Hosting;
using Logistics.Application.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Logistics.Api.Tests.Hosting;

/// <summary>
/// The document declares the ways in a host really has, and each operation the ones its endpoint takes: a session
/// cookie for the pages once one is registered, beside the API key that stays the only one for machines.
/// </summary>
public sealed class OpenApiSecurityTests
{
    [Fact]
    public async Task ASessionCookieIsDeclaredOnceRegisteredAndRequiredWhereAnEndpointTakesIt()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(TimeProvider.System);
        // The key handler's store is never asked: no request here carries a key.
        await using var nowhere = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        builder.Services.AddSingleton(new ApiKeys(nowhere, TimeProvider.System));
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie("Session", o => o.Cookie.Name = "logistics.session");
        builder.Services.AddAuthorization();
        builder.Services.AddLogisticsOpenApi();
        await using var app = builder.Build();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/me", () => "a person").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "Session" }).WithName("me").WithSummary("Me.");
        app.MapGet("/keyed", () => "a machine").RequireAuthorization(p => p.RequireRole("shop")).WithName("keyed").WithSummary("Keyed.");
        app.MapGet("/open", () => "anyone").AllowAnonymous().WithName("open").WithSummary("Open.");
        await app.StartAsync();

        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var cookie = document["components"]!["securitySchemes"]!["sessionCookie"]!;
        Assert.Equal("cookie", cookie["in"]!.GetValue<string>());
        Assert.Equal("logistics.session", cookie["name"]!.GetValue<string>());
        Assert.Equal(["sessionCookie"], Schemes(document, "/me"));
        Assert.Equal(["bearerKey", "apiKeyHeader"], Schemes(document, "/keyed"));
        Assert.Equal("shop", document["paths"]!["/keyed"]!["get"]!["security"]![0]!["bearerKey"]![0]!.GetValue<string>());
        Assert.Empty(Schemes(document, "/open"));
        await app.StopAsync();
    }

    private static IEnumerable<string> Schemes(JsonNode document, string path) =>
        document["paths"]![path]!["get"]!["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key));
}
