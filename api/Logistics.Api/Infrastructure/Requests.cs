using System.Security.Claims;
using Logistics.Api.Auth;
using Logistics.Application.Access;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;

namespace Logistics.Api.Infrastructure;

public static class Requests
{
    /// <summary>The command context of an HTTP request: its caller, Idempotency-Key and correlation id.</summary>
    public static CommandContext Context(this HttpContext http)
    {
        var key = http.Request.Headers[IdempotencyMiddleware.Header].ToString();
        var correlation = Guid.TryParse(http.Request.Headers["X-Correlation-Id"], out var given) ? given : (Guid?)null;
        return new CommandContext(http.User.Actor(), string.IsNullOrEmpty(key) ? null : key, correlation);
    }

    public static string Subject(this ClaimsPrincipal user) =>
        user.SubjectId() ?? throw Refusal.Forbidden("This key has no subject.");

    /// <summary>Who asks, for the read side's scoping.</summary>
    public static Caller Caller(this ClaimsPrincipal user) =>
        new(user.Role() ?? throw Refusal.Forbidden("This key has no role."), user.Subject(), user.Network() ?? Application.Networks.NetworkIds.All);

    /// <summary>The caller's network, for a network's key or session (a federation operator has none: refused).</summary>
    public static string NetworkId(this ClaimsPrincipal user) =>
        user.Network() ?? throw Refusal.Forbidden("This key acts in no one network.");

    /// <summary>
    /// Refuses with 404, as for an unknown id, a stream that does not exist or is another network's: what an endpoint
    /// checks before it acts on something by id outside the event streams (device keys, credentials, erasure).
    /// </summary>
    public static async Task RequireVisibleAsync(this EventStreams streams, HttpContext http, string stream, string what)
    {
        if (!await streams.VisibleToAsync(http.User.Actor(), stream, http.RequestAborted))
        {
            throw Refusal.NotFound(what);
        }
    }

    public static RouteHandlerBuilder Role(this RouteHandlerBuilder builder, params string[] roles) =>
        builder.RequireAuthorization(policy => policy.RequireRole(roles));

    public static RouteGroupBuilder Role(this RouteGroupBuilder builder, params string[] roles) =>
        builder.RequireAuthorization(policy => policy.RequireRole(roles));
}
