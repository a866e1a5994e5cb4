using Logistics.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Logistics.Api.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, the one a web store's developer reads and generates a client
/// from: what the API is, how a caller authenticates (the schemes the host really registered), each operation's
/// requirement and answers (<see cref="OpenApiOperations"/>), its problem documents (<see cref="OpenApiProblems"/>)
/// and examples (<see cref="OpenApiExamples"/>). Redocly's linter checks it (tools/openapi, OpenApiLintTests).
/// </summary>
public static class OpenApiDocumentation
{
    /// <summary>The API key sent as <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public const string BearerKey = "bearerKey";

    /// <summary>The same key in the <c>X-Api-Key</c> header.</summary>
    public const string HeaderKey = "apiKeyHeader";

    /// <summary>A signed-in person's session cookie (pages), once a cookie scheme is registered.</summary>
    public const string SessionCookie = "sessionCookie";

    public static IServiceCollection AddLogisticsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<DocumentTransformer>();
            o.AddOperationTransformer<OpenApiOperations>();
            o.AddOperationTransformer<OpenApiExamples>();
            o.AddSchemaTransformer<OpenApiProblems>();
        });

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Parcels"] = "A shop registers its parcels (one by one, or a CSV file), follows them and prints their labels; couriers move them; operators see and assign all.",
        ["Customer"] = "The recipient's side, without sign-in: the tracking number is the key. Tracks a parcel, collects it with the pickup code, asks for more time. Limited per client address.",
        ["Lockers"] = "Lockers with their compartments, alarms and door log; the core's command key for boards; remote opening.",
        ["Shops"] = "Shops in the network, and which are relay points.",
        ["Couriers"] = "A courier's shift and load; the operator's list of couriers.",
        ["Planning"] = "Rounds: planned by the operator, followed stop by stop by each courier.",
        ["Operator"] = "Building the network (shops, lockers, couriers and their keys), key figures, consistency checks and erasure of personal data.",
        ["Pages"] = "What the web pages use beside the API: the live feed of read models that moved on.",
        ["Orders"] = "A shop's web store sends its orders in (idempotent by the order id, with the customer's choice of locker, relay shop or home) and reads what each became.",
        ["Webhooks"] = "Endpoints of the shop's systems that hear of every status change of its parcels, signed per Standard Webhooks; the delivery log and sending again.",
        ["Accounts"] = "People (shop staff, couriers, operators) sign in to the pages with a password or an e-mailed link and get a session cookie; operators and shops invite and disable them. Machines keep their API keys.",
        ["Health"] = "Whether this node and its database answer (the load balancer's check).",
    };

    /// <summary>The document's description, servers, tags and security schemes.</summary>
    private sealed class DocumentTransformer(IAuthenticationSchemeProvider schemes, IOptionsMonitor<CookieAuthenticationOptions> cookies) : IOpenApiDocumentTransformer
    {
        public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info.Title = "Logistics API";
            document.Info.Description =
                "The core of a parcel-locker network: shops register parcels, couriers carry them to lockers, relay shops " +
                "and homes, recipients collect them with a pickup code.\n\n" +
                "**Authentication.** Machines (a web store, a shop's till, a board) send the API key the operator issued, as " +
                "`Authorization: Bearer <key>` (or `X-Api-Key: <key>`); each operation lists the roles whose keys may call it. " +
                "The customer's endpoints need no key. People signed in to the pages send their session cookie instead, and with " +
                "every request that changes something the antiforgery token (`X-CSRF-Token`) their page fetched.\n\n" +
                "**Refusals** are RFC 9457 problem documents (`application/problem+json`) with a stable `code` to branch on, " +
                "the `values` their sentence carries and, for invalid fields, `errors` and `errorCodes` per field.\n\n" +
                "**Retries.** A POST sent with an `Idempotency-Key` header has one effect however often it is sent: the first " +
                "answer is replayed (with `Idempotent-Replayed: true`).";

            // The generator names the address this request came to: kept, without the trailing slash clients would double.
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";
            }

            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            {
                if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
                {
                    tag.Description ??= description;
                }
            }

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            foreach (var scheme in await schemes.GetAllSchemesAsync())
            {
                foreach (var (id, declared) in Declared(scheme))
                {
                    document.Components.SecuritySchemes[id] = declared;
                }
            }
        }

        private IEnumerable<(string Id, OpenApiSecurityScheme Scheme)> Declared(AuthenticationScheme scheme)
        {
            if (scheme.HandlerType == typeof(ApiKeyAuthentication))
            {
                yield return (BearerKey, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The API key the operator issued (a shop's, a courier's, a board's or an operator's): `Authorization: Bearer <key>`. An unknown or revoked key is answered 401.",
                });
                yield return (HeaderKey, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Api-Key",
                    Description = "The same API key in the `X-Api-Key` header, for clients that cannot set `Authorization`.",
                });
            }
            else if (scheme.HandlerType == typeof(CookieAuthenticationHandler))
            {
                var cookie = cookies.Get(scheme.Name).Cookie.Name ?? CookieAuthenticationDefaults.CookiePrefix + scheme.Name;
                yield return (SessionCookie, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = cookie,
                    Description = "The session of a person signed in to the pages (HttpOnly, Secure, SameSite): set by signing in, sent by the browser.",
                });
            }
        }
    }

    /// <summary>The OpenAPI schemes an ASP.NET Core authentication scheme is declared as (none for one it does not describe).</summary>
    internal static string[] SchemesOf(AuthenticationScheme scheme) =>
        scheme.HandlerType == typeof(ApiKeyAuthentication) ? [BearerKey, HeaderKey]
        : scheme.HandlerType == typeof(CookieAuthenticationHandler) ? [SessionCookie]
        : [];
}
