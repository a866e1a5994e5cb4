using Logistics.Api.Infrastructure;
using Logistics.Application.ReadSide;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Logistics.Api.Labels;

/// <summary>A parcel's label, as the shop that sent it prints it: an A6 PDF or ZPL for a thermal printer.</summary>
public static class LabelEndpoints
{
    public const string Pdf = "application/pdf";
    public const string Zpl = "text/plain";

    public static void MapLabelEndpoints(this IEndpointRouteBuilder app)
    {
        var labels = app.MapGroup("/api/parcels").WithTags("Parcels");

        labels.MapGet("/{id}/label.pdf", async Task<FileContentHttpResult> (string id, ParcelQueries parcels, DirectoryQueries directory, LockerQueries lockers, HttpContext http, CancellationToken cancellationToken) =>
        {
            var label = await LabelAsync(id, parcels, directory, lockers, http, cancellationToken);
            return TypedResults.File(PdfLabel.Render(label), Pdf, label.FileName("pdf"));
        })
            .Role(Roles.Shop, Roles.Operator).Produces(StatusCodes.Status200OK, contentType: Pdf)
            .WithName("getLabelPdf").Refuses(404).WithSummary("A parcel's label as an A6 PDF: tracking number, QR code of it, destination, size and shop (its shop, operator).");

        labels.MapGet("/{id}/label.zpl", async Task<FileContentHttpResult> (string id, ParcelQueries parcels, DirectoryQueries directory, LockerQueries lockers, HttpContext http, CancellationToken cancellationToken) =>
        {
            var label = await LabelAsync(id, parcels, directory, lockers, http, cancellationToken);
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ZplLabel.Render(label)), $"{Zpl}; charset=utf-8", label.FileName("zpl"));
        })
            .Role(Roles.Shop, Roles.Operator).Produces(StatusCodes.Status200OK, contentType: Zpl)
            .WithName("getLabelZpl").Refuses(404).WithSummary("A parcel's label as ZPL II for a 4 × 6 in thermal printer, with a QR code of the tracking number (its shop, operator).");
    }

    // Another shop's parcel does not exist for a shop, as on GET /api/parcels/{id}.
    private static async Task<ParcelLabel> LabelAsync(
        string id, ParcelQueries parcels, DirectoryQueries directory, LockerQueries lockers, HttpContext http, CancellationToken cancellationToken)
    {
        var parcel = await parcels.VisibleToAsync(http.User.Caller(), new ParcelId(id), cancellationToken)
            ?? throw Refusal.NotFound($"You have no parcel {id}.");
        return await ParcelLabel.OfAsync(parcel, directory, lockers, cancellationToken);
    }
}
