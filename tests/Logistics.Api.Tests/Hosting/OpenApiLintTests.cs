using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Logistics.Api.Tests.Support;
using Logistics.Testing;
using Logistics.Testing.Core;
using Xunit.Abstractions;

namespace Logistics.Api.Tests.Hosting;

/// <summary>One core, its small network and the OpenAPI document it serves, for the whole class.</summary>
public sealed class OpenApiCore : IAsyncLifetime
{
    public TestCore Server { get; private set; } = null!;

    public TestNetwork Net { get; private set; } = null!;

    /// <summary>/openapi/v1.json as served.</summary>
    public string Document { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestCore.StartAsync();
        Net = await TestNetwork.CreateAsync(Server);
        using var client = Server.Client();
        Document = await client.GetStringAsync("/openapi/v1.json");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Issue 16, part 3: the OpenAPI document the core serves is what a web store's developer reads and generates a
/// client from. Redocly's linter (pinned in tools/openapi, installed by .ci/test) finds no error in it with its
/// recommended rules; every operation is named and says who may call it and how it refuses; its examples work. The
/// document as served is kept in artifacts/openapi/v1.json to read.
/// </summary>
public sealed class OpenApiLintTests(OpenApiCore core, ITestOutputHelper output) : IClassFixture<OpenApiCore>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task TheServedDocumentPassesRedoclysRecommendedRules()
    {
        var kept = Directory.CreateDirectory(Path.Combine(Root, "artifacts", "openapi")).FullName;
        await File.WriteAllTextAsync(Path.Combine(kept, "v1.json"), core.Document);
        using var temp = new TempDirectory("openapi-lint");
        var file = temp.File("v1.json");
        await File.WriteAllTextAsync(file, core.Document);

        var (errors, warnings, problems) = await LintAsync(file);

        problems.ForEach(output.WriteLine);
        output.WriteLine($"redocly lint: {errors} error(s), {warnings} warning(s)");
        Assert.True(errors == 0, $"Redocly's linter finds {errors} error(s) in /openapi/v1.json:\n" + string.Join("\n", problems.Where(p => p.StartsWith("error", StringComparison.Ordinal))));
    }

    [Fact]
    public void EveryOperationIsNamedSaysWhoMayCallItAndRefusesWithProblemDocuments()
    {
        var document = JsonNode.Parse(core.Document)!;
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["bearerKey"]!["scheme"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", schemes["apiKeyHeader"]!["name"]!.GetValue<string>());
        Assert.Equal("__Host-lg-session", schemes["sessionCookie"]!["name"]!.GetValue<string>());
        Assert.Equal("cookie", schemes["sessionCookie"]!["in"]!.GetValue<string>());

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations(document))
        {
            var where = $"{method.ToUpperInvariant()} {path}";
            var id = operation["operationId"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(id), $"{where} has no operationId");
            Assert.True(names.Add(id!), $"{where}: operationId {id} is used twice");
            Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{where} has no summary");
            var security = operation["security"]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"{where} says nothing of its security");
            var responses = operation["responses"]!.AsObject();
            foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('4')))
            {
                Assert.True(response!["content"]?["application/problem+json"] is not null, $"{where} answers {status} without a problem document");
            }

            // Open to anyone: the customer's tracking number, the resident in front of their home box with its code, the
            // map's tiles, the boards' downloads of signed releases; the sign-in forms check the credentials in their body.
            var signInForm = (path, method) is ("/api/session", "post") or ("/api/session/link", "post") or ("/api/session/link/redeem", "post") or ("/api/session/invitation", "post")
                or ("/api/session/passkey/options", "post") or ("/api/session/passkey", "post");
            if (path.StartsWith("/api/track/", StringComparison.Ordinal) || path.StartsWith("/api/home-boxes/{boxId}/", StringComparison.Ordinal)
                || path.StartsWith("/api/lockers/releases/{version}/", StringComparison.Ordinal) || path is "/health" or "/api/live" or "/api/map" || signInForm)
            {
                Assert.True(security.Count == 0, $"{where} is open to anyone, yet asks for a key");
                continue;
            }

            Assert.True(security.Count > 0, $"{where} needs a key, yet says none");
            Assert.Contains(security, s => s!["sessionCookie"] is not null);
            if (path.StartsWith("/api/session", StringComparison.Ordinal))
            {
                // Whoever is signed in (any key or session) may ask who they are, get a token or sign out.
                Assert.Contains(security, s => s!["bearerKey"] is not null);
                Assert.True(responses.ContainsKey("401"), $"{where} does not say it refuses a missing key");
                continue;
            }

            Assert.Contains(security, s => s!["bearerKey"]?.AsArray().Count > 0);
            Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{where} does not say it refuses a missing key or another role");
        }

        var register = Operation(document, "/api/parcels", "post");
        Assert.Equal("shop", register["security"]![0]!["bearerKey"]![0]!.GetValue<string>());
        Assert.Contains(register["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        Assert.Equal(
            "#/components/schemas/HttpValidationProblemDetails",
            register["responses"]!["422"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(document["components"]!["schemas"]!["HttpValidationProblemDetails"]!["properties"]!["errorCodes"]);
    }

    [Fact]
    public async Task TheParcelRegistrationExamplesRegisterParcels()
    {
        var document = JsonNode.Parse(core.Document)!;
        var examples = Operation(document, "/api/parcels", "post")["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject();
        Assert.Equal(["locker", "relay", "home"], examples.Select(e => e.Key));
        foreach (var (name, example) in examples)
        {
            // As a developer would: the example, with the ids of this network's locker and relay shop.
            var body = example!["value"]!.DeepClone();
            var destination = body["destination"]!;
            if (destination["lockerId"] is not null)
            {
                destination["lockerId"] = core.Net.LockerId;
            }

            if (destination["shopId"] is not null)
            {
                destination["shopId"] = core.Net.RelayShopId;
            }

            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            var response = await core.Net.Shop.PostAsync("/api/parcels", content);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"example {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (path.Key, method.Key, method.Value!);

    private static JsonNode Operation(JsonNode document, string path, string method) => document["paths"]![path]![method]!;

    private static string Root => OpenApiTools.Root;

    /// <summary>Runs the pinned linter with the repository's configuration; its JSON report counts and lists the problems.</summary>
    private static async Task<(int Errors, int Warnings, List<string> Problems)> LintAsync(string file)
    {
        var cli = OpenApiTools.Script(Path.Combine("@redocly", "cli", "bin", "cli.js"));
        var (exit, printed, errors) = await OpenApiTools.NodeAsync([cli, "lint", "--config", Path.Combine(OpenApiTools.Folder, "redocly.yaml"), "--format=json", "--max-problems=1000", file]);
        var report = printed.IndexOf('{', StringComparison.Ordinal);
        Assert.True(report >= 0, $"redocly lint printed no report (exit {exit}): {printed}\n{errors}");
        using var json = JsonDocument.Parse(printed[report..]);
        var totals = json.RootElement.GetProperty("totals");
        var problems = json.RootElement.GetProperty("problems").EnumerateArray().Select(Describe).ToList();
        return (totals.GetProperty("errors").GetInt32(), totals.GetProperty("warnings").GetInt32(), problems);
    }

    private static string Describe(JsonElement problem)
    {
        var where = problem.TryGetProperty("location", out var locations) && locations.GetArrayLength() > 0
            && locations[0].TryGetProperty("pointer", out var pointer) ? pointer.GetString() : "";
        return $"{problem.GetProperty("severity").GetString()} {problem.GetProperty("ruleId").GetString()} {where}: {problem.GetProperty("message").GetString()}";
    }
}
