using System.Security.Claims;
using System.Text.Encodings.Web;
using Logistics.Application.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Logistics.Api.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or <c>X-Api-Key</c>) against the issued keys.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers["X-Api-Key"].ToString();
        var authorization = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(key) && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        var credential = await keys.FindAsync(key, Context.RequestAborted);
        if (credential is null)
        {
            return AuthenticateResult.Fail("The API key is unknown or was revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Role, credential.Role),
                new Claim(ClaimTypes.NameIdentifier, credential.SubjectId),
                new Claim(ClaimTypes.Name, credential.Name),
                new Claim(CallerExtensions.NetworkClaim, credential.Network),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(
            statusCode: 401,
            title: "Sign-in needed",
            detail: "Send the API key you were issued as 'Authorization: Bearer <key>'.",
            type: "https://logistics.example/problems/unauthenticated",
            extensions: new Dictionary<string, object?> { ["code"] = Infrastructure.ProblemCodes.Unauthenticated }).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(
            statusCode: 403,
            title: "Not allowed",
            detail: $"A {Context.User.Role()} key cannot do this.",
            type: "https://logistics.example/problems/forbidden",
            extensions: new Dictionary<string, object?> { ["code"] = Application.Refusals.Refusal.ForbiddenCode }).ExecuteAsync(Context);
    }
}

public static class CallerExtensions
{
    /// <summary>The claim naming the network a key or a person's session acts in.</summary>
    public const string NetworkClaim = "logistics:network";

    public static string? Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role);

    public static string? SubjectId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>
    /// The caller's network; null for a federation operator (bound to none) or an anonymous caller. A session signed
    /// in before networks existed has no such claim: it acts in the default network, never in all.
    /// </summary>
    public static string? Network(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated != true ? null
        : user.FindFirstValue(NetworkClaim) switch
        {
            null => Application.Networks.NetworkIds.Default,
            Application.Networks.NetworkIds.All => null,
            var network => network,
        };

    /// <summary>"role:subject", the caller's identity for idempotency keys and metadata.</summary>
    public static string? CallerId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? $"{user.Role()}:{user.SubjectId()}" : null;

    public static Application.Streams.Actor Actor(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? new Application.Streams.Actor(user.Role() ?? "unknown", user.SubjectId() ?? "unknown", user.Network())
            : new Application.Streams.Actor(Application.Streams.Roles.Customer, "anonymous");
}
