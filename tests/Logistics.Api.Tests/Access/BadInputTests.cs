using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Logistics.Testing.Core;
using Npgsql;
using Xunit.Abstractions;

namespace Logistics.Api.Tests.Access;

/// <summary>One core and its small network for the whole class: the bad input below is sent to it one request at a time.</summary>
public sealed class BadInputCore : IAsyncLifetime
{
    public TestCore Server { get; private set; } = null!;

    public TestNetwork Net { get; private set; } = null!;

    public NpgsqlDataSource Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The tracking endpoints' rate limit would answer 429 before the input is looked at; it has its own tests.
        Server = await TestCore.StartAsync(configure: o => o with { TrackingRequestsPerMinute = 1_000_000 });
        Net = await TestNetwork.CreateAsync(Server);
        Database = NpgsqlDataSource.Create(Server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Issue 11, class 7: every operation of the OpenAPI document, called by each kind of caller (anonymous, operator,
/// shop, courier) with input no client should send — bodies that are empty, malformed, 2 MB or 100 levels deep,
/// each field missing, each field of the wrong JSON type, enums as integers, 100 kB strings, and odd ids in the
/// path (<c>../</c>, <c>%00</c>, an emoji, 10 kB) — answers a 4xx problem document, never a 5xx, and appends nothing
/// to the event store's global log. A case that may be valid (a field left out that the schema does not require)
/// may answer 2xx, and then may append. The cases are generated from the document itself, so a new endpoint or a new
/// field is covered without touching this test. What the document does not describe is not here: the boards'
/// WebSocket (its own frames and tests: Lockers/GatewayTests) and the HTML pages (static shells that read nothing).
/// </summary>
public sealed class BadInputTests(BadInputCore core, ITestOutputHelper output) : IClassFixture<BadInputCore>
{
    private const string AbsentId = "nothing-here";

    private static readonly string[] OddIds =
    [
        "../", "..%2F..%2Fetc%2Fpasswd", "%00", "a%00b", "%F0%9F%93%A6", new string('a', 10 * 1024), "%25", "a b",
    ];

    [Fact]
    public async Task EveryOperationRefusesBadInputWithAProblemDocumentAndAppendsNothing()
    {
        var document = await OpenApiAsync();
        var operations = Operations(document).ToList();
        var callers = Callers();
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var requests = 0;
        var casesPerCaller = 0;

        foreach (var operation in operations)
        {
            var cases = Cases(document, operation).ToList();
            casesPerCaller += cases.Count;
            foreach (var (callerName, client) in callers)
            {
                var batchBefore = await EventCountAsync();
                var appendedByValid = 0L;
                foreach (var c in cases)
                {
                    var before = await EventCountAsync();
                    using var response = await SendAsync(client, operation.Method, c);
                    requests++;
                    var status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    var appended = await EventCountAsync() - before;
                    var where = $"{callerName} {operation.Method} {operation.Path} [{c.Name}] → {status}";
                    if (status >= 500)
                    {
                        failures.Add($"{where}: {await BodyAsync(response)}");
                    }
                    else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json" && !RefusedByKestrel(c, response))
                    {
                        failures.Add($"{where}: not a problem document ({response.Content.Headers.ContentType?.MediaType ?? "no content type"})");
                    }
                    else if (status < 400 && !c.MayBeValid)
                    {
                        failures.Add($"{where}: accepted");
                    }

                    if (appended != 0 && !(status < 400 && c.MayBeValid))
                    {
                        failures.Add($"{where}: appended {appended} event(s)");
                    }
                    else
                    {
                        appendedByValid += appended;
                    }
                }

                // The whole batch, beside each request: only the valid requests among it appended anything.
                var batchAppended = await EventCountAsync() - batchBefore;
                if (batchAppended != appendedByValid)
                {
                    failures.Add($"{callerName} {operation.Method} {operation.Path}: the batch appended {batchAppended} event(s), its valid requests {appendedByValid}");
                }
            }
        }

        failures.ForEach(output.WriteLine);
        output.WriteLine($"{operations.Count} operations × {callers.Count} callers, {casesPerCaller} cases per caller: {requests} requests");
        output.WriteLine($"2 MB bodies cut short by the host closing the connection while they were sent: {_cutShort}");
        output.WriteLine("answers: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(operations.Count >= 30, $"only {operations.Count} operations in the OpenAPI document");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests:\n" + string.Join("\n", failures.Take(60)));
    }

    [Fact]
    public async Task AParcelSizeGivenAsANumberIsRefusedAndNothingIsRegistered()
    {
        var before = await EventCountAsync();
        foreach (var size in new object[] { 7, 0, "7", "S, M", "XL" })
        {
            var response = await core.Net.Shop.PostJsonAsync("/api/parcels", new
            {
                recipient = new { name = "Camille Martin", phone = TestNetwork.Phone },
                size,
                destination = new { kind = "locker", lockerId = core.Net.LockerId },
            });
            Assert.True((int)response.StatusCode is 400 or 422, $"size {size}: {(int)response.StatusCode} {await BodyAsync(response)}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task LimitsAreAnsweredWithTheirOwnCodes()
    {
        var tooLong = await core.Server.Operator().PostJsonAsync("/api/shops", new { name = new string('n', 201), address = "1 rue", latitude = 47.4, longitude = 0.98 });
        var problem = await ProblemAsync(tooLong);
        Assert.Equal(422, (int)tooLong.StatusCode);
        Assert.Equal("validation.too-long", problem.GetProperty("errorCodes").GetProperty("name")[0].GetString());

        var nowhere = await core.Server.Operator().PostJsonAsync("/api/shops", new { name = "n", address = "1 rue", latitude = 91, longitude = 0.98 });
        Assert.Equal(
            "validation.position-invalid",
            (await ProblemAsync(nowhere)).GetProperty("errorCodes").GetProperty("location")[0].GetString());

        using var big = new StringContent(new string(' ', 2 * 1024 * 1024), Encoding.UTF8, "application/json");
        var large = await core.Server.Operator().PostAsync("/api/shops", big);
        Assert.Equal(413, (int)large.StatusCode);
        Assert.Equal("body-too-large", (await ProblemAsync(large)).GetProperty("code").GetString());

        // Sent in chunks, its size is not announced: Kestrel's limit stops it while the body is read.
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 2 * 1024 * 1024) + "\"}")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/api/shops") { Content = chunked };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        chunkedRequest.Headers.ConnectionClose = true;
        var largeChunked = await core.Server.Operator().SendAsync(chunkedRequest);
        Assert.Equal(413, (int)largeChunked.StatusCode);
        Assert.Equal("body-too-large", (await ProblemAsync(largeChunked)).GetProperty("code").GetString());

        using var deep = new StringContent(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100), Encoding.UTF8, "application/json");
        var tooDeep = await core.Server.Operator().PostAsync("/api/shops", deep);
        Assert.Equal(400, (int)tooDeep.StatusCode);
        Assert.Equal("bad-request", (await ProblemAsync(tooDeep)).GetProperty("code").GetString());
    }

    /// <summary>
    /// A null character in the path is refused by Kestrel itself, before any middleware: its bare 400 cannot be a
    /// problem document, but it is a 4xx and nothing behind it ran.
    /// </summary>
    private static bool RefusedByKestrel(Case c, HttpResponseMessage response) =>
        c.Url.Contains("%00", StringComparison.Ordinal) && (int)response.StatusCode == 400 && response.Content.Headers.ContentLength is 0 or null;

    private async Task<long> EventCountAsync()
    {
        await using var command = core.Database.CreateCommand("select count(*) from es_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<JsonElement> OpenApiAsync()
    {
        using var client = core.Server.Client();
        var json = await client.GetStringAsync("/openapi/v1.json");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private List<(string Name, HttpClient Client)> Callers()
    {
        var list = new List<(string, HttpClient)>
        {
            ("anonymous", core.Server.Client()),
            ("operator", core.Server.Operator()),
            ("shop", core.Net.Shop),
            ("courier", core.Net.Courier),
        };
        foreach (var (_, client) in list)
        {
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        return list;
    }

    private int _cutShort;

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, Case c)
    {
        using var request = new HttpRequestMessage(method, c.Url);
        if (c.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        // The host answers a 2 MB body without reading it and then closes the connection: none reuses it.
        request.Headers.ConnectionClose = c.Body is { Length: > 1024 * 1024 };

        try
        {
            return await client.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            // The host may answer a 2 MB body early and close the connection while it is still being sent.
            if (c.Body is { Length: > 1024 * 1024 } && e.InnerException is IOException)
            {
                _cutShort++;
                return new HttpResponseMessage(System.Net.HttpStatusCode.RequestEntityTooLarge)
                {
                    Content = new StringContent("{}", Encoding.UTF8, "application/problem+json"),
                };
            }

            throw new HttpRequestException($"{method} {c.Url[..Math.Min(c.Url.Length, 200)]} [{c.Name}]: {e.Message}", e);
        }
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 400 ? text[..400] + "…" : text;
    }

    // ---- The operations and their cases, from the OpenAPI document ----

    private sealed record Operation(string Path, HttpMethod Method, JsonElement Definition, JsonElement[] Parameters);

    /// <summary>A request to send: its URL, its body, and whether it could be valid input (a field left out that the schema does not require).</summary>
    private sealed record Case(string Name, string Url, byte[]? Body, bool MayBeValid = false);

    private static IEnumerable<Operation> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToArray() : [];
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var own = method.Value.TryGetProperty("parameters", out var q) ? q.EnumerateArray().ToArray() : [];
                yield return new Operation(path.Name, new HttpMethod(method.Name.ToUpperInvariant()), method.Value, [.. shared, .. own]);
            }
        }
    }

    private static IEnumerable<Case> Cases(JsonElement document, Operation operation)
    {
        var pathParameters = operation.Parameters.Where(p => p.GetProperty("in").GetString() == "path").ToList();
        var queryParameters = operation.Parameters.Where(p => p.GetProperty("in").GetString() == "query").ToList();
        var validQuery = queryParameters.ToDictionary(q => q.GetProperty("name").GetString()!, q => (string?)ValidQueryValue(document, q));
        string Url(IReadOnlyDictionary<string, string>? pathValues = null, IReadOnlyDictionary<string, string?>? query = null)
        {
            var url = operation.Path;
            foreach (var p in pathParameters)
            {
                var name = p.GetProperty("name").GetString()!;
                var value = pathValues?.GetValueOrDefault(name) ?? ValidPathValue(document, p);
                url = url.Replace("{" + name + "}", value, StringComparison.Ordinal);
            }

            var pairs = (query ?? validQuery).Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{q.Key}={q.Value}");
            var queryString = string.Join("&", pairs);
            return queryString.Length == 0 ? url : $"{url}?{queryString}";
        }

        // Odd ids, in every string path parameter: the rest of the request is valid.
        foreach (var p in pathParameters.Where(p => Kind(document, p.GetProperty("schema")) == "string"))
        {
            var name = p.GetProperty("name").GetString()!;
            foreach (var odd in OddIds)
            {
                yield return new Case($"path {name}={(odd.Length > 20 ? odd[..8] + $"…({odd.Length})" : odd)}", Url(new Dictionary<string, string> { [name] = odd }), ValidBody(document, operation));
            }
        }

        // Query parameters of the wrong type or too long, and required ones left out.
        foreach (var q in queryParameters)
        {
            var name = q.GetProperty("name").GetString()!;
            var kind = Kind(document, q.GetProperty("schema"));
            var required = q.TryGetProperty("required", out var r) && r.GetBoolean();
            var bad = kind == "string" ? new string('q', 10 * 1024) : "not-a-" + kind;
            yield return new Case($"query {name} bad", Url(query: new Dictionary<string, string?>(validQuery) { [name] = bad }), ValidBody(document, operation));
            yield return new Case($"query {name} missing", Url(query: new Dictionary<string, string?>(validQuery) { [name] = null }), ValidBody(document, operation), MayBeValid: !required);
        }

        var url = Url();

        // Every operation: a 2 MB body, and a 100-deep one (an operation that reads no body must not read these either).
        yield return new Case("2 MB body", url, Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 2 * 1024 * 1024) + "\"}"));
        if (BodySchema(operation) is not { } schema)
        {
            yield break;
        }

        yield return new Case("100-deep body", url, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)));
        yield return new Case("100-deep array", url, Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)));
        // An optional body (a reason, a position) may be left out altogether.
        var bodyRequired = operation.Definition.GetProperty("requestBody").TryGetProperty("required", out var needed) && needed.GetBoolean();
        yield return new Case("empty body", url, [], MayBeValid: !bodyRequired);
        yield return new Case("malformed JSON", url, Encoding.UTF8.GetBytes("{\"name\": \"unterminated"));
        yield return new Case("a number for the body", url, Encoding.UTF8.GetBytes("42"));
        yield return new Case("an array for the body", url, Encoding.UTF8.GetBytes("[]"));
        var sample = Sample(document, schema, 0);
        yield return new Case("empty object", url, Encoding.UTF8.GetBytes("{}"), MayBeValid: true);
        foreach (var (path, property, required) in Properties(document, schema, []))
        {
            var at = string.Join(".", path);
            var kind = Kind(document, property);
            yield return new Case($"{at} missing", url, Mutate(sample, path, null, remove: true), MayBeValid: !required);
            foreach (var wrong in WrongTypes(kind))
            {
                yield return new Case($"{at} as {wrong.ToJsonString()}", url, Mutate(sample, path, wrong));
            }

            if (kind == "string" || kind == "enum")
            {
                yield return new Case($"{at} 100 kB", url, Mutate(sample, path, JsonValue.Create(new string('é', 50 * 1024))));
            }

            if (kind == "enum")
            {
                foreach (var number in new JsonNode[] { JsonValue.Create(7), JsonValue.Create(0), JsonValue.Create("7"), JsonValue.Create("-1") })
                {
                    yield return new Case($"{at} enum as {number.ToJsonString()}", url, Mutate(sample, path, number));
                }
            }

            if (kind is "number" or "integer")
            {
                foreach (var extreme in new JsonNode[] { JsonValue.Create(1e300), JsonValue.Create(-1e300), JsonValue.Create(long.MaxValue), JsonValue.Create("NaN") })
                {
                    // Only where the schema gives a range or the name says what it measures is an extreme necessarily wrong.
                    var named = path[^1] is "latitude" or "longitude" or "capacityUnits" or "number";
                    yield return new Case($"{at} as {extreme.ToJsonString()}", url, Mutate(sample, path, extreme), MayBeValid: !named);
                }
            }
        }
    }

    private static JsonNode[] WrongTypes(string kind) => kind switch
    {
        "string" or "enum" => [JsonValue.Create(12345), new JsonObject { ["a"] = 1 }],
        "integer" or "number" => [JsonValue.Create("not-a-number"), new JsonArray(), JsonValue.Create(true)],
        "boolean" => [JsonValue.Create("maybe"), JsonValue.Create(3)],
        "array" => [JsonValue.Create("not-a-list"), new JsonObject { ["a"] = 1 }],
        "object" => [JsonValue.Create(42), JsonValue.Create("not-an-object")],
        _ => [new JsonArray(JsonValue.Create(1))],
    };

    private static byte[] Mutate(JsonNode sample, IReadOnlyList<object> path, JsonNode? value, bool remove = false)
    {
        var copy = sample.DeepClone();
        JsonNode parent = copy;
        foreach (var segment in path.Take(path.Count - 1))
        {
            parent = segment is int i ? parent[i]! : parent[(string)segment]!;
        }

        switch (path[^1])
        {
            case int i when remove:
                parent.AsArray().RemoveAt(i);
                break;
            case int i:
                parent[i] = value;
                break;
            case string name when remove:
                parent.AsObject().Remove(name);
                break;
            case string name:
                parent[name] = value;
                break;
        }

        return Encoding.UTF8.GetBytes(copy.ToJsonString());
    }

    private static byte[]? ValidBody(JsonElement document, Operation operation) =>
        BodySchema(operation) is { } schema ? Encoding.UTF8.GetBytes(Sample(document, schema, 0).ToJsonString()) : null;

    private static JsonElement? BodySchema(Operation operation) =>
        operation.Definition.TryGetProperty("requestBody", out var body)
        && body.GetProperty("content").EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } content
        && content.Value.TryGetProperty("schema", out var schema)
            ? schema
            : null;

    private static string ValidPathValue(JsonElement document, JsonElement parameter) =>
        parameter.GetProperty("name").GetString() == "role" ? "shop"
        : Kind(document, parameter.GetProperty("schema")) is "integer" or "number" ? "1"
        : AbsentId;

    private static string ValidQueryValue(JsonElement document, JsonElement parameter) =>
        Kind(document, parameter.GetProperty("schema")) switch
        {
            "boolean" => "true",
            "integer" or "number" => "1",
            _ => "",
        };

    /// <summary>Every property of a body, nested ones and those of an array's first item included, with whether the schema requires it.</summary>
    private static IEnumerable<(object[] Path, JsonElement Schema, bool Required)> Properties(JsonElement document, JsonElement schema, object[] at)
    {
        if (at.Length > 6)
        {
            yield break;
        }

        var resolved = Resolve(document, schema);
        var kind = Kind(document, resolved);
        if (kind == "object" && resolved.TryGetProperty("properties", out var properties))
        {
            var required = resolved.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
            foreach (var p in properties.EnumerateObject())
            {
                object[] path = [.. at, p.Name];
                yield return (path, p.Value, required.Contains(p.Name));
                foreach (var nested in Properties(document, p.Value, path))
                {
                    yield return nested;
                }
            }
        }
        else if (kind == "array" && resolved.TryGetProperty("items", out var items))
        {
            object[] path = [.. at, 0];
            yield return (path, items, false);
            foreach (var nested in Properties(document, items, path))
            {
                yield return nested;
            }
        }
    }

    /// <summary>A value of the schema's shape: strings "x" (an id's syntax too), numbers 1, enums their first name, times an hour ahead.</summary>
    private static JsonNode Sample(JsonElement document, JsonElement schema, int depth)
    {
        var resolved = Resolve(document, schema);
        return Kind(document, resolved) switch
        {
            "enum" => JsonValue.Create(resolved.GetProperty("enum").EnumerateArray().First(e => e.ValueKind == JsonValueKind.String).GetString())!,
            "object" when depth < 6 && resolved.TryGetProperty("properties", out var properties) =>
                new JsonObject(properties.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Sample(document, p.Value, depth + 1)))),
            "object" => new JsonObject(),
            "array" when depth < 6 && resolved.TryGetProperty("items", out var items) => new JsonArray(Sample(document, items, depth + 1)),
            "array" => new JsonArray(),
            "integer" or "number" => JsonValue.Create(1),
            "boolean" => JsonValue.Create(false),
            _ when resolved.TryGetProperty("format", out var format) && format.GetString() == "date-time" =>
                JsonValue.Create(DateTimeOffset.UtcNow.AddHours(1).ToString("O")),
            _ => JsonValue.Create("x"),
        };
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        for (var i = 0; i < 10; i++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/')[^1];
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }
            else if ((schema.TryGetProperty("oneOf", out var variants) || schema.TryGetProperty("anyOf", out variants) || schema.TryGetProperty("allOf", out variants))
                && variants.EnumerateArray().FirstOrDefault(v => !IsNullSchema(v)) is { ValueKind: JsonValueKind.Object } variant)
            {
                schema = variant;
            }
            else
            {
                return schema;
            }
        }

        return schema;
    }

    private static bool IsNullSchema(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "null";

    /// <summary>enum, object, array, integer, number, boolean or string (the first type a nullable or number-as-string schema allows).</summary>
    private static string Kind(JsonElement document, JsonElement schema)
    {
        schema = Resolve(document, schema);
        if (schema.TryGetProperty("enum", out _))
        {
            return "enum";
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
            return types.FirstOrDefault(t => t is "object" or "array" or "integer" or "number" or "boolean")
                ?? types.FirstOrDefault(t => t != "null") ?? "string";
        }

        return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("items", out _) ? "array" : "string";
    }
}
