using System.Text.Json.Nodes;
using Logistics.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Logistics.Api.Hosting;

/// <summary>
/// What every operation's endpoint metadata says, written into the operation so no endpoint repeats it: who may call
/// it (its security requirement, from its authorization metadata: the schemes and the roles), and the refusals the
/// host's own layers give whatever the handler does — 401/403 from authentication and roles, 404 for an id of no
/// possible syntax in the path (<see cref="InputGuard"/>), 400/413 for a body that cannot be read or is too large,
/// 409/422 and the <c>Idempotency-Key</c> header on a POST (<see cref="IdempotencyMiddleware"/>), 429 under a rate
/// limit. What a handler refuses itself, each endpoint declares (<see cref="ProblemAnswers.Refuses"/>).
/// </summary>
internal sealed class OpenApiOperations(IAuthenticationSchemeProvider schemes, IOptions<AuthorizationOptions> authorization) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("An operation transformer runs within a document.");
        var post = string.Equals(description.HttpMethod, HttpMethods.Post, StringComparison.OrdinalIgnoreCase);
        var hasBody = operation.RequestBody is not null;
        operation.Responses ??= [];

        var access = await AccessAsync(metadata);
        if (access is null)
        {
            // Anyone may call it: said explicitly, so no client sends a key it does not need.
            operation.Security = [];
        }
        else
        {
            operation.Security = [.. access.Value.Schemes.Select(id => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(id, document)] = [.. access.Value.Roles] })];
            var who = access.Value.Roles switch
            {
                [] => "Any valid key may call it.",
                [var role] => $"Called with {Article(role)} {role}'s key.",
                var roles => $"Called with the key of {Article(roles[0])} {string.Join(", ", roles.SkipLast(1))} or {roles[^1]}.",
            };
            operation.Description = operation.Description is { Length: > 0 } own ? $"{own}\n\n{who}" : who;
            await AddProblemAsync(operation, context, StatusCodes.Status401Unauthorized);
            if (access.Value.Roles.Count > 0)
            {
                await AddProblemAsync(operation, context, StatusCodes.Status403Forbidden);
            }
        }

        if (description.ParameterDescriptions.Any(p => p.Source.Id == "Path" && !IsNumberRoute(p.RouteInfo)))
        {
            await AddProblemAsync(operation, context, StatusCodes.Status404NotFound);
        }

        var everyAttemptCounts = metadata.OfType<EveryAttemptCounts>().Any();
        var typedQuery = description.ParameterDescriptions.Any(p => p.Source.Id == "Query" && p.Type != typeof(string));
        if (hasBody || typedQuery || (post && !everyAttemptCounts))
        {
            await AddProblemAsync(operation, context, StatusCodes.Status400BadRequest);
        }

        if (hasBody)
        {
            await AddProblemAsync(operation, context, StatusCodes.Status413PayloadTooLarge);
        }

        if (post && !everyAttemptCounts)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Any unique string of at most 200 characters: sent again with the same body, the request has its effect once and its first answer is replayed (409 while it still runs; 422 if the body differs).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
                Example = JsonValue.Create("order-10045-register"),
            });
            await AddProblemAsync(operation, context, StatusCodes.Status409Conflict);
            await AddProblemAsync(operation, context, StatusCodes.Status422UnprocessableEntity);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            await AddProblemAsync(operation, context, StatusCodes.Status429TooManyRequests);
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse answer && int.TryParse(status, out var code))
            {
                Describe(answer, code);
            }
        }

        // Answers in the order of their status, as a reader looks them up.
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in sorted)
        {
            operation.Responses[status] = response;
        }
    }

    /// <summary>Who may call the endpoint: null for anyone, else the OpenAPI schemes its key may come by and the roles it needs.</summary>
    private async Task<(IReadOnlyList<string> Schemes, IReadOnlyList<string> Roles)?> AccessAsync(IList<object> metadata)
    {
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        var policies = metadata.OfType<AuthorizationPolicy>().ToList();
        if (metadata.OfType<IAllowAnonymous>().Any()
            || (authorize.Count == 0 && policies.Count == 0 && authorization.Value.FallbackPolicy is null))
        {
            return null;
        }

        var roles = policies.SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles)
            .Concat(authorize.SelectMany(a => a.Roles?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []))
            .Distinct(StringComparer.Ordinal).ToList();
        var named = policies.SelectMany(p => p.AuthenticationSchemes)
            .Concat(authorize.SelectMany(a => a.AuthenticationSchemes?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []))
            .Distinct(StringComparer.Ordinal).ToList();
        var by = new List<AuthenticationScheme>();
        if (named.Count > 0)
        {
            foreach (var name in named)
            {
                by.AddRange(await schemes.GetSchemeAsync(name) is { } scheme ? [scheme] : []);
            }
        }
        else if (await schemes.GetDefaultAuthenticateSchemeAsync() is { } fallback && fallback.HandlerType != typeof(PolicySchemeHandler))
        {
            by.Add(fallback);
        }
        else
        {
            // A policy scheme forwards to any of the others: each is a way in.
            by.AddRange(await schemes.GetAllSchemesAsync());
        }

        return ([.. by.SelectMany(OpenApiDocumentation.SchemesOf).Distinct(StringComparer.Ordinal)], roles);
    }

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.OrdinalIgnoreCase) ? "an" : "a";

    private static bool IsNumberRoute(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiParameterRouteInfo? route) =>
        route?.Constraints?.Any(c => c is Microsoft.AspNetCore.Routing.Constraints.IntRouteConstraint) == true;

    /// <summary>A problem-document answer, unless the endpoint declared this status itself.</summary>
    private static async Task AddProblemAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        var type = status == StatusCodes.Status422UnprocessableEntity ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        operation.Responses[key] = new OpenApiResponse
        {
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/problem+json"] = new() { Schema = await OpenApiProblems.ReferenceAsync(type, context) },
            },
        };
    }

    /// <summary>What each status means here, in place of the bare reason phrase.</summary>
    private static void Describe(OpenApiResponse response, int status)
    {
        var meaning = status switch
        {
            StatusCodes.Status400BadRequest => "The request could not be read: a body that is not JSON of the expected shape, a query value of the wrong type, an Idempotency-Key over 200 characters.",
            StatusCodes.Status401Unauthorized => "No API key, or one that is unknown or revoked.",
            StatusCodes.Status403Forbidden => "The key's role may not do this.",
            StatusCodes.Status404NotFound => "Nothing with that id exists for this caller (another shop's parcel does not exist for a shop).",
            StatusCodes.Status409Conflict => "Not possible in the current state (the problem's `code` says why), or the same Idempotency-Key is still being processed, or the record changed at the same moment: retry after `Retry-After`.",
            StatusCodes.Status410Gone => "The recipient's personal data was erased.",
            StatusCodes.Status413PayloadTooLarge => "The body is larger than the host reads (1 MB).",
            StatusCodes.Status422UnprocessableEntity => "Refused as sent: `errors` and `errorCodes` say what to correct per field (or the Idempotency-Key was used for another request).",
            StatusCodes.Status429TooManyRequests => "Too many requests from this address: retry after `Retry-After` seconds.",
            StatusCodes.Status503ServiceUnavailable => "The database does not answer right now: retry in a few seconds.",
            _ => null,
        };
        if (status is StatusCodes.Status409Conflict or StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            response.Headers.TryAdd("Retry-After", new OpenApiHeader
            {
                Description = "Seconds to wait before sending the request again, when waiting will do.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
            });
        }

        if (meaning is not null && (string.IsNullOrEmpty(response.Description) || response.Description == ReasonPhrase(status)))
        {
            response.Description = meaning;
        }
        else if (string.IsNullOrEmpty(response.Description))
        {
            response.Description = ReasonPhrase(status);
        }
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
