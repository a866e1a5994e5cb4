using Logistics.Api.Infrastructure;
using Logistics.Application.Projections;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Couriers;

namespace Logistics.Api.Couriers;

/// <summary>Couriers start and end shifts and see their load; operators see every courier.</summary>
public static class CourierEndpoints
{
    public sealed record ShiftInput(double? Latitude, double? Longitude);

    public static void MapCourierEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/couriers/me").WithTags("Couriers").Role(Roles.Courier);

        me.MapPost("/shift/start", async (ShiftInput? input, EventStreams streams, HttpContext http) =>
        {
            var id = new CourierId(http.User.Subject());
            var at = input is { Latitude: { } lat, Longitude: { } lon } ? new GeoPoint(lat, lon) : (GeoPoint?)null;
            await streams.HandleAsync(Deciders.Courier, Deciders.Stream(id), _ => new StartShift(at, streams.Clock.GetUtcNow()), http.Context());
            return Results.NoContent();
        });

        me.MapPost("/shift/end", async (EventStreams streams, HttpContext http) =>
        {
            var id = new CourierId(http.User.Subject());
            await streams.HandleAsync(Deciders.Courier, Deciders.Stream(id), _ => new EndShift(streams.Clock.GetUtcNow()), http.Context());
            return Results.NoContent();
        });

        me.MapGet("/load", async (ReadModels reads, HttpContext http, CancellationToken cancellationToken) =>
        {
            var carrying = await reads.ParcelsAsync("p.courier_id = $1", cancellationToken, http.User.Subject());
            var units = carrying.Sum(p => Enum.Parse<ParcelSize>(p.Size).Units());
            return Results.Ok(new { carrying, units });
        }).WithSummary("What the courier carries now, and its size units.");

        app.MapGet("/api/couriers", async (ReadModels reads, CancellationToken cancellationToken) => Results.Ok(await reads.CouriersAsync(cancellationToken)))
            .WithTags("Couriers").Role(Roles.Operator).WithSummary("Couriers with their shift and load (operator).");
    }
}
