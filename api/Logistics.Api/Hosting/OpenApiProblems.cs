using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Logistics.Api.Hosting;

/// <summary>
/// The problem documents as <see cref="Infrastructure.ProblemExceptionHandler"/> writes them: RFC 9457's members and
/// this API's own — the <c>code</c> a client branches on, the <c>values</c> its sentence carries and, for invalid
/// fields, <c>errorCodes</c> beside <c>errors</c>.
/// </summary>
internal sealed class OpenApiProblems : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (!typeof(ProblemDetails).IsAssignableFrom(type) && !typeof(HttpValidationProblemDetails).IsAssignableFrom(type))
        {
            return Task.CompletedTask;
        }

        schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A stable code to branch on and translate: `validation`, `not-found`, `forbidden`, `parcel.not-awaiting-collection`, …",
            Examples = [JsonValue.Create("validation")],
        };
        schema.Properties["values"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The values the sentence in `detail` carries (attempts left, lines refused…), by name.",
        };
        if (typeof(HttpValidationProblemDetails).IsAssignableFrom(type) || typeof(ValidationProblemDetails).IsAssignableFrom(type))
        {
            schema.Properties["errorCodes"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Per field, the codes of its `errors`, in the same order (`validation.required`, `validation.too-long`, …).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        schema.Description ??= "A refusal, as an RFC 9457 problem document.";
        return Task.CompletedTask;
    }

    /// <summary>A reference to the schema of a problem type, registered in the document's components when no endpoint did.</summary>
    public static async Task<IOpenApiSchema> ReferenceAsync(Type type, OpenApiOperationTransformerContext context)
    {
        var document = context.Document!;
        var id = type.Name;
        if (document.Components?.Schemas?.ContainsKey(id) != true)
        {
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(type));
        }

        return new OpenApiSchemaReference(id, document);
    }
}
