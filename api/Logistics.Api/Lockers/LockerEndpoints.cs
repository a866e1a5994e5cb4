using Logistics.Api.Infrastructure;
using Logistics.Application.Projections;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;

namespace Logistics.Api.Lockers;

/// <summary>Lockers and shops as everyone signed in may list them (destinations); compartments for operators.</summary>
public static class LockerEndpoints
{
    public static void MapLockerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/lockers", async (ReadModels reads, CancellationToken cancellationToken) => Results.Ok(await reads.LockersAsync(cancellationToken)))
            .WithTags("Lockers").Role(Roles.Operator, Roles.Shop, Roles.Courier).WithSummary("Lockers with their occupancy and free sizes.");

        app.MapGet("/api/lockers/{id}", async (string id, ReadModels reads, CancellationToken cancellationToken) =>
        {
            var locker = await reads.LockerAsync(id, cancellationToken)
                ?? throw Refusal.NotFound($"There is no locker {id}.");
            return Results.Ok(new { locker, compartments = await reads.CompartmentsAsync(id, cancellationToken), alarms = await reads.AlarmsAsync(id, cancellationToken) });
        }).WithTags("Lockers").Role(Roles.Operator).WithSummary("A locker's compartments and alarms (operator).");

        app.MapGet("/api/shops", async (ReadModels reads, CancellationToken cancellationToken) => Results.Ok(await reads.ShopsAsync(cancellationToken)))
            .WithTags("Shops").Role(Roles.Operator, Roles.Shop, Roles.Courier).WithSummary("Shops, and which are relay points.");
    }
}
