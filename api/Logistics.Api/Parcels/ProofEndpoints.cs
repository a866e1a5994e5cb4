using Logistics.Api.Infrastructure;
using Logistics.Application.Parcels;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Parcels;

/// <summary>
/// The proofs of a home delivery (and photos of failed ones), for the shop that sent the parcel and the operators
/// only: another shop's parcel does not exist for a shop, couriers and anonymous callers are refused. The images are
/// personal data: answered with <c>Cache-Control: no-store</c>, kept by no cache on the way.
/// </summary>
public static class ProofEndpoints
{
    public static void MapProofEndpoints(this IEndpointRouteBuilder app)
    {
        var proofs = app.MapGroup("/api/parcels/{id}/proofs").WithTags("Parcels").Role(Roles.Shop, Roles.Operator);

        proofs.MapGet("/", async Task<Ok<IReadOnlyList<ProofView>>> (string id, ParcelActions parcels, DeliveryProofs kept, HttpContext http, CancellationToken cancellationToken) =>
        {
            await VisibleAsync(id, parcels, http, cancellationToken);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(await kept.OfParcelAsync(new ParcelId(id), cancellationToken));
        }).WithName("listDeliveryProofs").Refuses(404)
            .WithSummary("The proofs kept of a parcel's home delivery and failed attempts, with the signer's name and links to the images (its shop, operator).");

        proofs.MapGet("/{proofId}/{part}", async Task<FileContentHttpResult> (string id, string proofId, string part, ParcelActions parcels, DeliveryProofs kept, HttpContext http, CancellationToken cancellationToken) =>
        {
            await VisibleAsync(id, parcels, http, cancellationToken);
            var (bytes, mediaType) = await kept.ImageAsync(new ParcelId(id), proofId, part, cancellationToken);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.File(bytes, mediaType);
        }).Produces(StatusCodes.Status200OK, contentType: "image/jpeg").Produces(StatusCodes.Status200OK, contentType: "image/png")
            .WithName("getDeliveryProofImage").Refuses(404, 410)
            .WithSummary("One image of a proof: part is photo or signature; gone once the recipient's data was erased (its shop, operator).");
    }

    // From the parcel's stream, not a read model: the proof is shown as soon as it is kept. Another shop's parcel does
    // not exist for a shop, as on GET /api/parcels/{id}.
    private static async Task VisibleAsync(string id, ParcelActions parcels, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = http.User.Caller();
        var parcel = await parcels.LoadKnownAsync(new ParcelId(id), cancellationToken);
        if (!caller.IsOperator && parcel.Details.Shop.Value != caller.SubjectId)
        {
            throw Refusal.NotFound($"There is no parcel {id}.");
        }
    }
}
