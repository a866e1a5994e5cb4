using System.Threading.RateLimiting;
using Logistics.Api.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Logistics.Api.Infrastructure;

/// <summary>
/// Limits what one address can ask of the anonymous endpoints (tracking numbers, pickup codes): guessing is slow
/// for an attacker and costs nobody else anything. Answered with 429, a Retry-After and a problem document.
/// </summary>
public static class RateLimits
{
    /// <summary>The anonymous customer endpoints under <c>/api/track/…</c>, per client address.</summary>
    public const string Tracking = "tracking";

    /// <summary>Signing in (password, e-mailed link), per client address: beside each account's lockout.</summary>
    public const string SignIn = "sign-in";

    /// <summary>The anonymous downloads of released board programs, per client address (a bundle is megabytes read from PostgreSQL).</summary>
    public const string ReleaseDownloads = "release-downloads";

    public const string RateLimited = "rate-limited";

    public static IServiceCollection AddLogisticsRateLimits(this IServiceCollection services, LogisticsOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Tracking, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.TrackingRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.AddPolicy(SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.AddPolicy(ReleaseDownloads, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.ReleaseDownloadsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var problem = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = "Too many requests from your address. Try again in a minute.",
                    Type = $"https://logistics.example/problems/{RateLimited}",
                };
                problem.Extensions["code"] = RateLimited;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
            };
        });
}
