using Logistics.Application.Refusals;

namespace Logistics.Api.Infrastructure;

/// <summary>
/// Refuses what no endpoint should read, before authentication's answer is the only thing between it and the store:
/// a body announced larger than <see cref="InputLimits.BodyBytes"/> (413; Kestrel's own limit stops a chunked one
/// while it is read), and an id in the path that is not of <see cref="InputLimits.IsId"/>'s syntax (404: nothing
/// can have that id, so nothing is looked up).
/// </summary>
public sealed class InputGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // An endpoint may take more (a release's bundle), and says so in its metadata.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? InputLimits.BodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw BodyTooLarge();
        }

        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && !InputLimits.IsId(text) && !IsNumber(context, name))
            {
                throw Refusal.NotFound($"There is nothing with that {name}: ids have at most {InputLimits.Id} letters, digits, '.', '_', ':' or '-'.");
            }
        }

        return next(context);
    }

    public static Refusal BodyTooLarge() => new(
        InputLimits.BodyTooLargeCode,
        RefusalKind.TooLarge,
        "Request too large",
        $"A request body has at most {InputLimits.BodyBytes / 1024} kB.");

    // Route constraints ({number:int}) already refused what is not a number; only ids are checked here.
    private static bool IsNumber(HttpContext context, string name) =>
        context.GetEndpoint() is RouteEndpoint route
        && route.RoutePattern.GetParameter(name)?.ParameterPolicies.Any(p => p.Content == "int") == true;
}
