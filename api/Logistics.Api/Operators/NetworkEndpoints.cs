using Logistics.Api.Auth;
using Logistics.Api.Infrastructure;
using Logistics.Application.Access;
using Logistics.Application.Lockers;
using Logistics.Application.Parcels;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Lockers;
using Logistics.Domain.Shops;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Operators;

/// <summary>The operator builds the network: shops, lockers with their compartments, couriers, and their keys.</summary>
public static class NetworkEndpoints
{
    public sealed record ShopInput(string? Name, string? Address, double? Latitude, double? Longitude, bool RelayPoint = false);

    public sealed record CompartmentInput(int Number, ParcelSize Size, bool LowHeight = false);

    /// <summary><c>devicePublicKey</c>: the board's P-256 public key (PEM or base64 DER SubjectPublicKeyInfo), made on the board by <c>keygen</c>.</summary>
    public sealed record LockerInput(string? Name, string? Address, double? Latitude, double? Longitude, IReadOnlyList<CompartmentInput>? Compartments, string? DevicePublicKey = null);

    public sealed record CourierInput(string? Name, Vehicle? Vehicle, int? CapacityUnits);

    public sealed record Registered(string Id, string ApiKey);

    /// <summary>How many keys a revocation revoked.</summary>
    public sealed record Revoked(int Count);

    /// <summary>How many parcels recorded a recipient's erasure.</summary>
    public sealed record Erased(int Parcels);

    public static void MapNetworkEndpoints(this IEndpointRouteBuilder app)
    {
        var op = app.MapGroup("/api").WithTags("Operator").Role(Roles.Operator);

        op.MapPost("/shops", async Task<Created<Registered>> (ShopInput input, EventStreams streams, ApiKeys keys, HttpContext http) =>
        {
            var v = new Validation();
            v.NotBlank(input.Name, "name", "The shop's name");
            v.NotBlank(input.Address, "address", "The address");
            v.MaxLength(input.Name, "name", InputLimits.Name).MaxLength(input.Address, "address", InputLimits.Address);
            RequirePosition(v, input.Latitude, input.Longitude);
            v.ThrowIfAny();
            var id = new ShopId("shop-" + Base32.Random(6).ToLowerInvariant());
            await streams.HandleAsync(Deciders.Shop, Deciders.Stream(id), _ => new RegisterShop(id, input.Name!.Trim(), input.Address!.Trim(), new GeoPoint(input.Latitude!.Value, input.Longitude!.Value), input.RelayPoint, streams.Clock.GetUtcNow()), http.Context());
            var key = await keys.IssueAsync(new Credential(Roles.Shop, id.Value, input.Name!.Trim(), http.User.NetworkId()));
            return TypedResults.Created($"/api/shops/{id}", new Registered(id.Value, key));
        }).WithName("registerShop").Refuses(409, 422).WithSummary("Register a shop and issue its API key (shown once).");

        op.MapPost("/lockers", async Task<Created<Registered>> (LockerInput input, EventStreams streams, ApiKeys keys, LockerDevices devices, HttpContext http) =>
        {
            var devicePublicKey = input.DevicePublicKey is { Length: <= InputLimits.DevicePublicKey } ? LockerDevices.ParsePublicKey(input.DevicePublicKey) : null;
            var v = new Validation();
            v.NotBlank(input.Name, "name", "The locker's name");
            v.NotBlank(input.Address, "address", "The address");
            v.MaxLength(input.Name, "name", InputLimits.Name).MaxLength(input.Address, "address", InputLimits.Address);
            v.MaxLength(input.DevicePublicKey, "devicePublicKey", InputLimits.DevicePublicKey);
            RequirePosition(v, input.Latitude, input.Longitude);
            v.Require(input.Compartments is null || input.Compartments.Count <= InputLimits.Compartments, "compartments", InputLimits.TooManyCode, $"At most {InputLimits.Compartments} compartments.");
            v.Require(input.Compartments is null || input.Compartments.All(c => c is not null), "compartments", Validation.Required, "Each compartment needs its number and size.");
            v.Require(input.Compartments is null || input.Compartments.All(c => c is null || (c.Number <= InputLimits.Compartments && Enum.IsDefined(c.Size))), "compartments", InputLimits.OutOfRangeCode, $"Compartment numbers go up to {InputLimits.Compartments}; sizes are S, M or L.");
            v.Require(input.Compartments is { Count: > 0 }, "compartments", "validation.compartments-missing", "A locker needs at least one compartment.");
            v.Require(input.Compartments is null || input.Compartments.Select(c => c?.Number).Distinct().Count() == input.Compartments.Count, "compartments", "validation.compartments-duplicate", "Compartment numbers must be unique.");
            v.Require(input.Compartments is null || input.Compartments.All(c => c is null || c.Number > 0), "compartments", "validation.compartment-number", "Compartment numbers start at 1.");
            v.Require(input.DevicePublicKey is null || devicePublicKey is not null, "devicePublicKey", "validation.device-key", "The device key is not a P-256 public key (PEM or base64 DER).");
            v.ThrowIfAny();
            var id = new LockerId("locker-" + Base32.Random(6).ToLowerInvariant());
            await streams.HandleAsync(
                Deciders.Locker,
                Deciders.Stream(id),
                _ => new RegisterLocker(id, input.Name!.Trim(), new GeoPoint(input.Latitude!.Value, input.Longitude!.Value), input.Address!.Trim(), input.Compartments!.Select(c => new CompartmentSpec(c.Number, c.Size, c.LowHeight)).ToArray(), streams.Clock.GetUtcNow()),
                http.Context());
            await devices.RegisterAsync(id, devicePublicKey);
            var key = await keys.IssueAsync(new Credential(Roles.Locker, id.Value, input.Name!.Trim(), http.User.NetworkId()));
            return TypedResults.Created($"/api/lockers/{id}", new Registered(id.Value, key));
        }).WithName("registerLocker").Refuses(409, 422).WithSummary("Register a locker with its compartments and issue its device key (shown once).");

        op.MapPost("/couriers", async Task<Created<Registered>> (CourierInput input, EventStreams streams, ApiKeys keys, HttpContext http) =>
        {
            var v = new Validation();
            v.NotBlank(input.Name, "name", "The courier's name");
            v.MaxLength(input.Name, "name", InputLimits.Name);
            v.Defined(input.Vehicle, "vehicle");
            v.Require(input.Vehicle is not null, "vehicle", "validation.vehicle-missing", "Choose a vehicle: CargoBike or Van.");
            v.Require(input.CapacityUnits is > 0 and <= 1000, "capacityUnits", "validation.capacity-range", "Capacity is between 1 and 1000 size units (S=1, M=2, L=4).");
            v.ThrowIfAny();
            var id = new CourierId("courier-" + Base32.Random(6).ToLowerInvariant());
            await streams.HandleAsync(Deciders.Courier, Deciders.Stream(id), _ => new RegisterCourier(id, input.Name!.Trim(), input.Vehicle!.Value, input.CapacityUnits!.Value, streams.Clock.GetUtcNow()), http.Context());
            var key = await keys.IssueAsync(new Credential(Roles.Courier, id.Value, input.Name!.Trim(), http.User.NetworkId()));
            return TypedResults.Created($"/api/couriers/{id}", new Registered(id.Value, key));
        }).WithName("registerCourier").Refuses(409, 422).WithSummary("Register a courier and issue their API key (shown once).");

        op.MapPost("/lockers/{id}/device-key", async Task<NoContent> (string id, LockerInput input, LockerDevices devices, EventStreams streams, HttpContext http) =>
        {
            await streams.RequireVisibleAsync(http, Deciders.Stream(new LockerId(id)), $"There is no locker '{id}'.");
            new Validation().MaxLength(input.DevicePublicKey, "devicePublicKey", InputLimits.DevicePublicKey).ThrowIfAny();
            var key = LockerDevices.ParsePublicKey(input.DevicePublicKey)
                ?? throw Refusal.Invalid("devicePublicKey", "validation.device-key", "The device key is not a P-256 public key (PEM or base64 DER).");
            await devices.RegisterAsync(new LockerId(id), key);
            return TypedResults.NoContent();
        }).WithName("registerDeviceKey").Refuses(404, 422).WithSummary("Register (or replace) the public key of a locker's controller board.");

        op.MapPost("/credentials/{role}/{id}", async Task<Ok<Registered>> (string role, string id, ApiKeys keys, EventStreams streams, HttpContext http) =>
        {
            if (role is not (Roles.Shop or Roles.WebStore or Roles.Courier or Roles.Locker or Roles.Operator))
            {
                throw Refusal.NotFound($"There is no role '{role}'.");
            }

            // A key for a shop, courier or locker of this network only: another network's (or an unknown) id is not found.
            if (SubjectStream(role, id) is { } stream)
            {
                await streams.RequireVisibleAsync(http, stream, $"There is no {role} '{id}'.");
            }

            return TypedResults.Ok(new Registered(id, await keys.IssueAsync(new Credential(role, id, id, http.User.NetworkId()))));
        }).WithName("issueKey").Refuses(404).WithSummary("Issue a new key for a shop, a shop's web store (webstore, by the shop's id), courier, locker or operator of the network.");

        op.MapPost("/credentials/{role}/{id}/revoke", async Task<Ok<Revoked>> (string role, string id, ApiKeys keys, EventStreams streams, HttpContext http) =>
        {
            if (SubjectStream(role, id) is { } stream)
            {
                await streams.RequireVisibleAsync(http, stream, $"There is no {role} '{id}'.");
            }

            return TypedResults.Ok(new Revoked(await keys.RevokeAsync(role, id, http.User.NetworkId())));
        }).WithName("revokeKeys").Refuses(404).WithSummary("Revoke every key of a subject of the network.");

        op.MapPost("/lockers/{id}/compartments/{number:int}/out-of-service", async Task<NoContent> (string id, int number, ReasonInput input, EventStreams streams, HttpContext http) =>
        {
            new Validation().NotBlank(input.Reason, "reason", "A reason").MaxLength(input.Reason, "reason", InputLimits.Reason).ThrowIfAny();
            var locker = new LockerId(id);
            await streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new TakeOutOfService(number, input.Reason!.Trim(), streams.Clock.GetUtcNow()), http.Context());
            return TypedResults.NoContent();
        }).WithName("takeCompartmentOutOfService").Refuses(404, 409, 422).WithSummary("Take a free compartment out of service, with a reason.");

        op.MapPost("/lockers/{id}/compartments/{number:int}/return-to-service", async Task<NoContent> (string id, int number, EventStreams streams, HttpContext http) =>
        {
            var locker = new LockerId(id);
            await streams.HandleAsync(Deciders.Locker, Deciders.Stream(locker), _ => new ReturnToService(number, streams.Clock.GetUtcNow()), http.Context());
            return TypedResults.NoContent();
        }).WithName("returnCompartmentToService").Refuses(404, 409).WithSummary("Return a compartment to service.");

        op.MapPost("/shops/{id}/relay-point", async Task<NoContent> (string id, bool enabled, EventStreams streams, HttpContext http) =>
        {
            var shop = new ShopId(id);
            await streams.HandleAsync(Deciders.Shop, Deciders.Stream(shop), _ => new ChangeRelayPoint(enabled, streams.Clock.GetUtcNow()), http.Context());
            return TypedResults.NoContent();
        }).WithName("setRelayPoint").Refuses(404, 409).WithSummary("Make a shop a relay point, or stop it being one.");

        op.MapPost("/people/{personId}/erase", async Task<Ok<Erased>> (string personId, RecipientErasure erasure, ParcelQueries parcels, HttpContext http) =>
        {
            // A person the network knows (a recipient of one of its parcels): the erasure then reaches every parcel of theirs.
            if ((await parcels.OfPersonAsync(personId, http.User.NetworkId(), http.RequestAborted)).Count == 0)
            {
                throw Refusal.NotFound("No parcel of the network is for this person.");
            }

            return TypedResults.Ok(new Erased(await erasure.EraseAsync(personId, http.Context(), http.RequestAborted)));
        })
            .WithName("erasePerson").Refuses(404).WithSummary("Erase a recipient's personal data on request; history still replays, showing it as erased.");

        // The operator usually knows the parcel (a tracking number on a letter), not the pseudonymous person id.
        op.MapPost("/parcels/{id}/erase-recipient", async Task<Ok<Erased>> (string id, RecipientErasure erasure, EventStreams streams, HttpContext http) =>
        {
            await streams.RequireVisibleAsync(http, Deciders.Stream(new ParcelId(id)), $"There is no parcel '{id}'.");
            return TypedResults.Ok(new Erased(await erasure.EraseRecipientOfAsync(new ParcelId(id), http.Context(), http.RequestAborted)));
        })
            .WithName("eraseParcelRecipient").Refuses(404).WithSummary("Erase the personal data of a parcel's recipient (every parcel of theirs) on request; unknown parcel: 404.");
    }

    /// <summary>The stream of a key's subject, for the roles whose subject is a shop, courier or locker.</summary>
    private static string? SubjectStream(string role, string id) => role switch
    {
        Roles.Shop or Roles.WebStore => Deciders.Stream(new ShopId(id)),
        Roles.Courier => Deciders.Stream(new CourierId(id)),
        Roles.Locker => Deciders.Stream(new LockerId(id)),
        _ => null,
    };

    private static void RequirePosition(Validation v, double? latitude, double? longitude)
    {
        v.Require(latitude is not null && longitude is not null, "location", "validation.position-missing", "A position (latitude, longitude) is required.");
        v.Position(latitude, longitude, "location", required: false);
    }
}
