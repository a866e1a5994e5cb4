using Microsoft.AspNetCore.Antiforgery;

namespace Logistics.Api.Accounts;

/// <summary>
/// A request that changes something and is authenticated by the session cookie must carry the page's antiforgery
/// token (header <c>X-CSRF-Token</c>): otherwise 403. Requests with an API key need none (a browser never adds one to
/// another site's request), nor do the anonymous sign-in endpoints, which no session authenticates.
/// </summary>
public sealed class SessionAntiforgery(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, IAntiforgery antiforgery)
    {
        var method = http.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method) && !HttpMethods.IsTrace(method)
            && http.User.BySession()
            && http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
            && !await antiforgery.IsRequestValidAsync(http))
        {
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Antiforgery token missing",
                detail: "A signed-in page sends its antiforgery token (GET /api/session/antiforgery) in the X-CSRF-Token header with every change.",
                type: $"https://logistics.example/problems/{AccountEndpoints.AntiforgeryMissing}",
                extensions: new Dictionary<string, object?> { ["code"] = AccountEndpoints.AntiforgeryMissing }).ExecuteAsync(http);
            return;
        }

        await next(http);
    }
}
