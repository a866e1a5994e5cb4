using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Logistics.Api.Hosting;

/// <summary>
/// Examples a web store's developer starts from, by operation id: requests as a client sends them and the answers it
/// gets (each valid against its schema: the linter checks them).
/// </summary>
internal sealed class OpenApiExamples(TimeProvider clock) : IOpenApiOperationTransformer
{
    /// <summary>Requests by operation id, then by example name: a summary and the JSON body.</summary>
    private Dictionary<string, Dictionary<string, (string Summary, string Json)>> Requests()
    {
        // A home delivery's window must lie ahead (and within a year): tomorrow from 16:00 to 19:00 UTC.
        var tomorrow = clock.GetUtcNow().UtcDateTime.Date.AddDays(1);
        var from = new DateTimeOffset(tomorrow.AddHours(16), TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var to = new DateTimeOffset(tomorrow.AddHours(19), TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return new(StringComparer.Ordinal)
        {
            ["registerParcel"] = new(StringComparer.Ordinal)
            {
                ["locker"] = ("To a locker", """
                    {
                      "recipient": { "name": "Camille Martin", "phone": "+33612345678", "email": "camille.martin@example.org", "address": null },
                      "size": "M",
                      "destination": { "kind": "locker", "lockerId": "locker-7k2m4q", "shopId": null, "from": null, "to": null },
                      "promisedBy": null
                    }
                    """),
                ["relay"] = ("To a relay shop", """
                    {
                      "recipient": { "name": "Camille Martin", "phone": "+33612345678", "email": null, "address": null },
                      "size": "S",
                      "destination": { "kind": "relay", "lockerId": null, "shopId": "shop-3f9a2c", "from": null, "to": null },
                      "promisedBy": null
                    }
                    """),
                ["home"] = ("At home, in a delivery window", $$"""
                    {
                      "recipient": {
                        "name": "Camille Martin", "phone": "+33612345678", "email": null,
                        "address": { "street": "12 rue Nationale", "postalCode": "37000", "city": "Tours", "latitude": 47.3941, "longitude": 0.6848 }
                      },
                      "size": "L",
                      "destination": { "kind": "home", "lockerId": null, "shopId": null, "from": "{{from}}", "to": "{{to}}" },
                      "promisedBy": null
                    }
                    """),
            },
            ["collectParcel"] = new(StringComparer.Ordinal)
            {
                ["code"] = ("The pickup code from the message", """{ "code": "482913" }"""),
            },
            ["registerShop"] = new(StringComparer.Ordinal)
            {
                ["shop"] = ("A shop that is also a relay point", """
                    { "name": "Librairie du Centre", "address": "5 place Plumereau, 37000 Tours", "latitude": 47.3947, "longitude": 0.6833, "relayPoint": true }
                    """),
            },
        };
    }

    private static readonly Dictionary<(string Operation, string Status), string> Answers = new()
    {
        [("registerParcel", "201")] = """
            { "parcelId": "01a2499a205d7b6899bfa713a3629fef", "trackingId": "LG-4K7M-2Q9X", "trackingUrl": "/track/LG-4K7M-2Q9X" }
            """,
        [("registerParcel", "422")] = """
            {
              "type": "https://logistics.example/problems/validation",
              "title": "Some fields need attention",
              "status": 422,
              "detail": "Choose the locker.",
              "code": "validation",
              "errors": { "destination.lockerId": ["Choose the locker."] },
              "errorCodes": { "destination.lockerId": ["validation.locker-missing"] }
            }
            """,
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { } id)
        {
            return Task.CompletedTask;
        }

        if (Requests().TryGetValue(id, out var examples) && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true && body is OpenApiMediaType media)
        {
            media.Examples = examples.ToDictionary(
                e => e.Key,
                e => (IOpenApiExample)new OpenApiExample { Summary = e.Value.Summary, Value = JsonNode.Parse(e.Value.Json) },
                StringComparer.Ordinal);
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (Answers.TryGetValue((id, status), out var json) && response.Content?.Values.FirstOrDefault() is OpenApiMediaType answer)
            {
                answer.Example = JsonNode.Parse(json);
            }
        }

        return Task.CompletedTask;
    }
}
