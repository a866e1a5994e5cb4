using Logistics.Api.Infrastructure;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Lockers;

/// <summary>Lockers and shops as everyone signed in may list them (destinations); compartments for operators.</summary>
public static class LockerEndpoints
{
    /// <summary>A locker with its compartments and active alarms.</summary>
    public sealed record LockerDetail(LockerView Locker, IReadOnlyList<CompartmentView> Compartments, IReadOnlyList<AlarmView> Alarms);

    public static void MapLockerEndpoints(this IEndpointRouteBuilder app)
    {
        // The operator sees the residents' home boxes among the lockers (doors, alarms); the others choose among the network's.
        app.MapGet("/api/lockers", async Task<Ok<IReadOnlyList<LockerView>>> (LockerQueries lockers, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(http.User.IsInRole(Roles.Operator) ? await lockers.AllAsync(http.User.NetworkId(), cancellationToken) : await lockers.NetworkAsync(http.User.NetworkId(), cancellationToken)))
            .WithTags("Lockers").Role(Roles.Operator, Roles.Shop, Roles.Courier, Roles.WebStore).WithName("listLockers")
            .WithSummary("Lockers with their occupancy and free sizes (home boxes too, for the operator only).");

        app.MapGet("/api/lockers/{id}", async Task<Ok<LockerDetail>> (string id, LockerQueries lockers, EventStreams streams, HttpContext http, CancellationToken cancellationToken) =>
        {
            var locker = new LockerId(id);
            await streams.RequireVisibleAsync(http, Deciders.Stream(locker), $"There is no locker {id}.");
            var view = await lockers.FindAsync(locker, cancellationToken) ?? throw Refusal.NotFound($"There is no locker {id}.");
            return TypedResults.Ok(new LockerDetail(view, await lockers.CompartmentsAsync(locker, cancellationToken), await lockers.AlarmsAsync(locker, cancellationToken)));
        }).WithTags("Lockers").Role(Roles.Operator).WithName("getLocker").WithSummary("A locker's compartments and alarms (operator).");

        app.MapGet("/api/lockers/{id}/door-log", async Task<Ok<IReadOnlyList<DoorLogEntry>>> (string id, LockerQueries lockers, EventStreams streams, HttpContext http, CancellationToken cancellationToken) =>
        {
            var locker = new LockerId(id);
            await streams.RequireVisibleAsync(http, Deciders.Stream(locker), $"There is no locker {id}.");
            _ = await lockers.FindAsync(locker, cancellationToken) ?? throw Refusal.NotFound($"There is no locker {id}.");
            return TypedResults.Ok(await lockers.DoorLogAsync(locker, 500, cancellationToken));
        }).WithTags("Lockers").Role(Roles.Operator).WithName("getDoorLog").WithSummary("The doors opened at a locker for couriers, shops and customers, with who caused each (operator).");

        app.MapGet("/api/shops", async Task<Ok<IReadOnlyList<ShopView>>> (DirectoryQueries directory, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await directory.ShopsAsync(http.User.NetworkId(), cancellationToken)))
            .WithTags("Shops").Role(Roles.Operator, Roles.Shop, Roles.Courier, Roles.WebStore).WithName("listShops").WithSummary("Shops, and which are relay points.");
    }
}
