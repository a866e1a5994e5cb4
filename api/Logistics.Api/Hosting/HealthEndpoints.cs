using Logistics.Api.Infrastructure;
using Logistics.Application.ReadSide;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Hosting;

/// <summary>Whether this node can serve: it answers and its database does (the load balancer's check).</summary>
public static class HealthEndpoints
{
    public sealed record HealthStatus(string Status, string Database);

    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> (DatabaseHealth database, CancellationToken cancellationToken) =>
            await database.ReachableAsync(cancellationToken)
                ? TypedResults.Ok(new HealthStatus("healthy", "reachable"))
                : TypedResults.Problem(statusCode: 503, title: "Database unreachable", detail: "The database does not answer; the reason is in this node's log.", type: "https://logistics.example/problems/database-unreachable"))
            .AllowAnonymous().WithTags("Health").WithName("getHealth").Refuses(503).WithSummary("This node and its database answer.");
}
