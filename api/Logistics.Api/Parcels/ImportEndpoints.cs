using System.Text.Json.Nodes;
using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace Logistics.Api.Parcels;

/// <summary>Parcels registered from a shop's CSV file (<see cref="ParcelImport"/>).</summary>
public static class ImportEndpoints
{
    private const string CsvExample = "reference,name,phone,size,destination,locker,relay\n" +
        "CMD-1042,Camille Martin,+33612345678,M,locker,locker-7k2m4q,\n" +
        "CMD-1043,Yanis Petit,+33698765432,S,relay,,shop-3f9a2c\n";

    private static readonly string[] CsvTypes = ["text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"];

    public static void MapImportEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/parcels/import", async Task<Ok<ImportAnswer>> (HttpContext http, ParcelImport import) =>
        {
            var type = http.Request.ContentType?.Split(';')[0].Trim();
            if (type is null || !CsvTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                throw new Refusal(ParcelImport.NotCsvCode, RefusalKind.BadRequest, "Not a CSV file", "Send the file as text/csv: a header line, then one line per parcel.");
            }

            using var reader = new StreamReader(http.Request.Body);
            var csv = await reader.ReadToEndAsync(http.RequestAborted);
            var answer = await import.ImportAsync(new ShopId(http.User.Subject()), csv, http.User.Actor(), http.RequestAborted);
            if (answer.Imported.Count == 0 && answer.Rejected.Count > 0)
            {
                throw new Refusal(ParcelImport.NothingImportedCode, RefusalKind.Invalid, "Nothing imported", $"None of the {answer.Rejected.Count} lines could be registered; each says why.")
                {
                    Values = new Dictionary<string, object> { ["rejected"] = answer.Rejected },
                };
            }

            return TypedResults.Ok(answer);
        })
            .Role(Roles.Shop)
            // The body is read as text, so the document is told of it here (Accepts metadata would make routing answer 415 before authentication).
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The CSV file: a header line naming the columns, then one line per parcel, separated by commas or semicolons. Columns:\n\n"
                        + string.Join("\n", ParcelImport.Columns.Select(c => $"- `{c.Name}`{(c.Required ? " (required)" : "")}: {c.Meaning}")),
                    Content = CsvTypes.ToDictionary(t => t, t => new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        Example = t == CsvTypes[0] ? JsonValue.Create(CsvExample) : null,
                    }, StringComparer.Ordinal),
                };
                return Task.CompletedTask;
            })
            .WithTags("Parcels")
            .WithName("importParcels").Refuses(400, 413, 422).WithSummary("Register parcels from a CSV file sent as text/csv (shop): one parcel per line, each line's reference registered once however often the file is sent; lines that cannot be registered are reported with their line number and reason.");
}
