using Logistics.Api.Infrastructure;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Couriers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Couriers;

/// <summary>Couriers start and end shifts and see their load; operators see every courier.</summary>
public static class CourierEndpoints
{
    public sealed record ShiftInput(double? Latitude, double? Longitude);

    /// <summary>What a courier carries now, and its size in units (S=1, M=2, L=4).</summary>
    public sealed record CourierLoad(IReadOnlyList<CarriedParcel> Carrying, int Units);

    public static void MapCourierEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/couriers/me").WithTags("Couriers").Role(Roles.Courier);

        me.MapPost("/shift/start", async Task<NoContent> (ShiftInput? input, EventStreams streams, HttpContext http) =>
        {
            new Validation().Position(input?.Latitude, input?.Longitude, "location", required: false).ThrowIfAny();
            var id = new CourierId(http.User.Subject());
            var at = input is { Latitude: { } lat, Longitude: { } lon } ? new GeoPoint(lat, lon) : (GeoPoint?)null;
            await streams.HandleAsync(Deciders.Courier, Deciders.Stream(id), _ => new StartShift(at, streams.Clock.GetUtcNow()), http.Context());
            return TypedResults.NoContent();
        }).WithName("startShift").Refuses(409, 422).WithSummary("Start the shift, from where the courier is (the round starts there).");

        me.MapPost("/shift/end", async Task<NoContent> (EventStreams streams, HttpContext http) =>
        {
            var id = new CourierId(http.User.Subject());
            await streams.HandleAsync(Deciders.Courier, Deciders.Stream(id), _ => new EndShift(streams.Clock.GetUtcNow()), http.Context());
            return TypedResults.NoContent();
        }).WithName("endShift").Refuses(409).WithSummary("End the shift: what is not picked up yet goes to the other couriers at the next plan.");

        me.MapGet("/load", async Task<Ok<CourierLoad>> (ParcelQueries parcels, HttpContext http, CancellationToken cancellationToken) =>
        {
            var carrying = await parcels.CarriedByAsync(new CourierId(http.User.Subject()), cancellationToken);
            return TypedResults.Ok(new CourierLoad(carrying, carrying.Sum(p => Enum.Parse<ParcelSize>(p.Size).Units())));
        }).WithName("getCourierLoad").WithSummary("What the courier carries now, and its size units.");

        app.MapGet("/api/couriers", async Task<Ok<IReadOnlyList<CourierView>>> (DirectoryQueries directory, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await directory.CouriersAsync(http.User.NetworkId(), cancellationToken)))
            .WithTags("Couriers").Role(Roles.Operator).WithName("listCouriers").WithSummary("Couriers with their shift and load (operator).");
    }
}
