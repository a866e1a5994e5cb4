using Logistics.Api.Infrastructure;
using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Operators;

/// <summary>Key figures for the operator's charts, computed from the read models over the last days.</summary>
public static class FigureEndpoints
{
    public static void MapFigureEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/figures", async Task<Ok<Figures>> (int? days, FigureQueries figures, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await figures.LastDaysAsync(Math.Clamp(days ?? 14, 1, 90), http.User.NetworkId(), cancellationToken)))
            .WithTags("Operator").Role(Roles.Operator).WithName("getFigures").WithSummary("Parcels a day and the share collected within 24 h, over the last days (default 14).");
}
