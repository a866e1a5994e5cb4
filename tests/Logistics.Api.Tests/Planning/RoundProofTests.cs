using System.Text.Json;
using Logistics.Testing.Core;
using QRCoder;

namespace Logistics.Api.Tests.Planning;

/// <summary>Issue 16 part 9 on the round: a home stop done with a signature, a failed one with its photo, each kept for its parcel.</summary>
public sealed class RoundProofTests : PlanningTest
{
    private static readonly string Png = Convert.ToBase64String(PngByteQRCodeHelper.GetQRCode("proof", QRCodeGenerator.ECCLevel.L, 4));

    [Fact]
    public async Task AHomeStopDoneWithASignatureAndAFailedOneWithAPhotoKeepEachProof()
    {
        var signed = await ForHomeAsync(Net.Shop, Now, Now.AddHours(4));
        var failed = await ForHomeAsync(Net.Shop, Now, Now.AddHours(4), lat: 47.4100, lon: 0.9750);
        await StartShiftAsync(Net.Courier, BakeryLat, BakeryLon);
        await PlanAsync();
        var stops = Stops(await RoundAsync(Net.Courier)).ToList();
        await CompleteAsync(Net.Courier, Id(stops.Single(s => Place(s) != "home")));
        var homes = stops.Where(s => Place(s) == "home").ToList();
        var signedStop = homes.Single(s => ParcelIds(s).Contains(signed));
        var failedStop = homes.Single(s => ParcelIds(s).Contains(failed));

        await CompleteAsync(Net.Courier, Id(signedStop), new { proof = new { signature = Png, signedBy = "Jeanne Petit" } });
        await (await Net.Courier.PostJsonAsync($"/api/couriers/me/round/stops/{Id(failedStop)}/fail", new { parcelId = failed, reason = "nobody home", proof = new { photo = Png } })).OkAsync();

        var kept = await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync($"/api/parcels/{signed}/proofs"));
        Assert.Equal("Jeanne Petit", Assert.Single(kept.EnumerateArray()).GetProperty("signedBy").GetString());
        var photo = Assert.Single((await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync($"/api/parcels/{failed}/proofs"))).EnumerateArray());
        Assert.Equal("failed", photo.GetProperty("kind").GetString());
        Assert.Equal(Convert.FromBase64String(Png), await Net.Shop.GetByteArrayAsync(photo.GetProperty("photoUrl").GetString()));
    }
}
