using Logistics.Api.Infrastructure;
using Logistics.Application.Access;
using Logistics.Application.Networks;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Operators;

/// <summary>The federation operator: every network of the deployment side by side, and new networks with their first operator key.</summary>
public static class FederationEndpoints
{
    /// <summary><c>id</c>: 2–40 lower-case letters, digits and dashes, starting with a letter (e.g. <c>chinon</c>).</summary>
    public sealed record NetworkInput(string? Id, string? Name);

    /// <summary>A new network and the key of its first operator (shown once).</summary>
    public sealed record NewNetwork(string NetworkId, string Name, string OperatorKey);

    public static void MapFederationEndpoints(this IEndpointRouteBuilder app)
    {
        var federation = app.MapGroup("/api/networks").WithTags("Federation").Role(Roles.Federation);

        federation.MapGet("", async Task<Ok<IReadOnlyList<NetworkView>>> (NetworkDirectory networks, CancellationToken cancellationToken) =>
            TypedResults.Ok(await networks.ListAsync(cancellationToken)))
            .WithName("listNetworks").WithSummary("Every network with its figures side by side: shops, lockers (online), couriers (on shift), parcels today, in transit, awaiting collection, collected today.");

        federation.MapPost("", async Task<Created<NewNetwork>> (NetworkInput input, NetworkDirectory networks, ApiKeys keys, CancellationToken cancellationToken) =>
        {
            var v = new Validation();
            v.Require(NetworkIds.IsValid(input.Id?.Trim()), "id", "validation.network-id", "The id is 2 to 40 lower-case letters, digits and dashes, starting with a letter.");
            v.NotBlank(input.Name, "name", "The network's name").MaxLength(input.Name, "name", InputLimits.Name);
            v.ThrowIfAny();
            var (id, name) = (input.Id!.Trim(), input.Name!.Trim());
            if (!await networks.CreateAsync(id, name, cancellationToken))
            {
                throw Refusal.Conflict("network-exists", $"There is already a network '{id}'.");
            }

            var key = await keys.IssueAsync(new Credential(Roles.Operator, "operator", $"Operator of {name}", id), cancellationToken);
            return TypedResults.Created($"/api/networks/{id}", new NewNetwork(id, name, key));
        }).WithName("createNetwork").Refuses(409, 422).WithSummary("Create a network (a town or an association) and issue the key of its first operator (shown once).");
    }
}
