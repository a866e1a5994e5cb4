using System.Net;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;
using Logistics.Testing.Core;
using Microsoft.Extensions.DependencyInjection;
using QRCoder;

namespace Logistics.Api.Tests.Parcels;

/// <summary>
/// Issue 16 part 9: a home delivery keeps its proof (a photo, or the name and signature of who took the parcel), a
/// failed one its photo; sealed with the recipient's key, shown to the parcel's shop and the operators only, refused
/// when too large or not an image, unreadable once the recipient is erased, kept once however often it is sent.
/// </summary>
public sealed class DeliveryProofTests : ApiTest
{
    private const string Signer = "Jeanne Petit";

    // Real PNG images (QR codes drawn by QRCoder): the photo and the signature a courier's page would send.
    private static readonly byte[] Photo = PngByteQRCodeHelper.GetQRCode("photo of the parcel at the door", QRCodeGenerator.ECCLevel.L, 8);
    private static readonly byte[] Signature = PngByteQRCodeHelper.GetQRCode("signature", QRCodeGenerator.ECCLevel.L, 4);

    [Fact]
    public async Task ADeliveryWithAPhotoIsKeptSealedAndShownToItsShopAndTheOperator()
    {
        var (parcel, tracking) = await CarriedHomeParcelAsync();

        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", new { proof = new { photo = Convert.ToBase64String(Photo) } })).OkAsync();
        await Server.SettleAsync();

        foreach (var client in new[] { Net.Shop, Server.Operator() })
        {
            var proof = Assert.Single(await ProofsAsync(client, parcel));
            Assert.Equal("delivered", proof.GetProperty("kind").GetString());
            Assert.False(proof.GetProperty("erased").GetBoolean());
            Assert.Equal(JsonValueKind.Null, proof.GetProperty("signatureUrl").ValueKind);
            var image = await client.GetAsync(proof.GetProperty("photoUrl").GetString());
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
            Assert.True(image.Headers.CacheControl?.NoStore, "the image is answered with Cache-Control: no-store");
            Assert.Equal(Photo, await image.Content.ReadAsByteArrayAsync());
        }

        var delivered = (await Server.ParcelEventsAsync(parcel)).OfType<ParcelDelivered>().Single();
        Assert.Equal(new DeliveryProof(delivered.Proof!.Id, Photo: true, Signature: false), delivered.Proof);
        var stored = await Server.QueryAsync("select photo from delivery_proofs where parcel_id = $1", r => r.GetFieldValue<byte[]>(0), parcel);
        Assert.False(Contains(Assert.Single(stored), Photo.AsSpan(0, 64)), "the stored photo is sealed, not the image as sent");
        var detail = await TestCore.ReadAsync<JsonElement>(await Net.Shop.GetAsync($"/api/parcels/{parcel}"));
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString()!.EndsWith("proof kept (photo)", StringComparison.Ordinal));

        // The recipient's tracking page says a proof was kept, and links nothing.
        var track = await Net.Customer.GetAsync($"/api/track/{tracking}");
        var page = await track.Content.ReadAsStringAsync();
        Assert.Contains("\"deliveredWithProof\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/proofs/", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeliveryWithTheNameAndSignatureOfWhoTookItShowsBoth()
    {
        var (parcel, _) = await CarriedHomeParcelAsync();

        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", new { proof = new { signature = Convert.ToBase64String(Signature), signedBy = Signer } })).OkAsync();

        var proof = Assert.Single(await ProofsAsync(Net.Shop, parcel));
        Assert.Equal(Signer, proof.GetProperty("signedBy").GetString());
        Assert.Equal(JsonValueKind.Null, proof.GetProperty("photoUrl").ValueKind);
        var image = await Net.Shop.GetAsync(proof.GetProperty("signatureUrl").GetString());
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Signature, await image.Content.ReadAsByteArrayAsync());
        Assert.True(image.Headers.CacheControl?.NoStore);
        var events = await EventsTextAsync(parcel);
        Assert.DoesNotContain(Signer, events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedDeliveryCarriesItsPhoto()
    {
        var (parcel, _) = await CarriedHomeParcelAsync();

        var failed = await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/fail-delivery", new { reason = "nobody home", proof = new { photo = Convert.ToBase64String(Photo) } });

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var proof = Assert.Single(await ProofsAsync(Net.Shop, parcel));
        Assert.Equal("failed", proof.GetProperty("kind").GetString());
        Assert.Equal(Photo, await Net.Shop.GetByteArrayAsync(proof.GetProperty("photoUrl").GetString()));
        Assert.NotNull((await Server.ParcelEventsAsync(parcel)).OfType<HomeDeliveryFailed>().Single().Proof);
    }

    [Fact]
    public async Task NoOneButItsShopAndTheOperatorSeesTheProof()
    {
        var (parcel, _) = await CarriedHomeParcelAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", new { proof = new { photo = Convert.ToBase64String(Photo) } })).OkAsync();
        var photo = Assert.Single(await ProofsAsync(Net.Shop, parcel)).GetProperty("photoUrl").GetString()!;

        var callers = new (string Who, HttpClient Client, HttpStatusCode Expected)[]
        {
            ("anonymous", Server.Client(), HttpStatusCode.Unauthorized),
            ("shop B", Server.Client(Net.OtherShopKey), HttpStatusCode.NotFound),
            ("the courier who delivered it", Net.Courier, HttpStatusCode.Forbidden),
            ("the courier of another round", Server.Client(Net.OtherCourierKey), HttpStatusCode.Forbidden),
        };
        foreach (var (who, client, expected) in callers)
        {
            foreach (var path in new[] { $"/api/parcels/{parcel}/proofs", photo })
            {
                var response = await client.GetAsync(path);
                Assert.True(expected == response.StatusCode, $"{who} on {path}: {(int)response.StatusCode}");
                Assert.NotEqual("image/png", response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain("proofId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("too-large")]
    [InlineData("not-an-image")]
    [InlineData("signature-without-name")]
    public async Task AProofTooLargeOrNotAnImageIsRefusedWithAProblemAndTheParcelIsNotDelivered(string wrong)
    {
        var (parcel, _) = await CarriedHomeParcelAsync();
        var (proof, field, code) = wrong switch
        {
            "too-large" => ((object)new { photo = Convert.ToBase64String([.. Photo, .. new byte[600 * 1024]]) }, "proof.photo", "validation.proof-too-large"),
            "not-an-image" => (new { photo = Convert.ToBase64String("GIF89a, or anything but a JPEG or PNG"u8.ToArray()) }, "proof.photo", "validation.proof-not-an-image"),
            _ => (new { signature = Convert.ToBase64String(Signature) }, "proof.signedBy", "validation.proof-missing"),
        };

        var refused = await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", new { proof });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.JsonAsync();
        Assert.Equal(code, problem.GetProperty("errorCodes").GetProperty(field)[0].GetString());
        Assert.Empty(await ProofsAsync(Net.Shop, parcel));
        Assert.DoesNotContain((await Server.ParcelEventsAsync(parcel)).OfType<ParcelDelivered>(), _ => true);
    }

    [Fact]
    public async Task ErasingTheRecipientMakesTheProofUnreadable()
    {
        var (parcel, _) = await CarriedHomeParcelAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", new { proof = new { photo = Convert.ToBase64String(Photo), signature = Convert.ToBase64String(Signature), signedBy = Signer } })).OkAsync();
        var before = Assert.Single(await ProofsAsync(Net.Shop, parcel));

        await (await Server.Operator().PostJsonAsync($"/api/parcels/{parcel}/erase-recipient", null)).OkAsync();

        var after = Assert.Single(await ProofsAsync(Net.Shop, parcel));
        Assert.True(after.GetProperty("erased").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("signedBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("photoUrl").ValueKind);
        foreach (var link in new[] { before.GetProperty("photoUrl").GetString(), before.GetProperty("signatureUrl").GetString() })
        {
            var gone = await Server.Operator().GetAsync(link);
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Equal("proof.erased", (await gone.JsonAsync()).GetProperty("code").GetString());
        }

        // Not only the API: the sealed bytes kept in the database no longer open with any key the core has.
        var sealer = Server.Services.GetRequiredService<PersonalDataSealer>();
        var rows = await Server.QueryAsync("select person_id, photo, signature, signed_by from delivery_proofs where parcel_id = $1", r => (r.GetString(0), r.GetFieldValue<byte[]>(1), r.GetFieldValue<byte[]>(2), r.GetFieldValue<byte[]>(3)), parcel);
        var (person, photo, signature, name) = Assert.Single(rows);
        Assert.All(new[] { photo, signature, name }, blob => Assert.Null(sealer.Unseal(person, blob)));
    }

    [Fact]
    public async Task ADeliveryRetriedWithItsKeyOrSentAgainKeepsOneProof()
    {
        var (parcel, _) = await CarriedHomeParcelAsync();
        var body = new { proof = new { photo = Convert.ToBase64String(Photo) } };

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", body, idempotencyKey: "deliver-with-proof-1")).OkAsync();
        }

        // The same delivery sent again under a new key (a page that lost the first answer and its key) is a repeat too.
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deliver", body, idempotencyKey: "deliver-with-proof-2")).OkAsync();

        Assert.Single(await ProofsAsync(Server.Operator(), parcel));
        Assert.Equal([1L], await Server.QueryAsync("select count(*) from delivery_proofs where parcel_id = $1", r => r.GetInt64(0), parcel));
        Assert.Single((await Server.ParcelEventsAsync(parcel)).OfType<ParcelDelivered>());
    }

    private async Task<(string ParcelId, string TrackingId)> CarriedHomeParcelAsync()
    {
        var from = Server.Clock.GetUtcNow().AddHours(1);
        var registered = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Léa Martin", phone = "+33600000002", address = new { street = "9 quai du Château", postalCode = "37400", city = "Amboise", latitude = 47.414, longitude = 0.981 } },
            size = "S",
            destination = new { kind = "home", from, to = from.AddHours(2) },
        }));
        var parcel = registered.GetProperty("parcelId").GetString()!;
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        return (parcel, registered.GetProperty("trackingId").GetString()!);
    }

    private static async Task<List<JsonElement>> ProofsAsync(HttpClient client, string parcel) =>
        [.. (await TestCore.ReadAsync<JsonElement>(await client.GetAsync($"/api/parcels/{parcel}/proofs"))).EnumerateArray()];

    private async Task<string> EventsTextAsync(string parcel) => string.Join(
        "\n", await Server.QueryAsync("select data::text from es_events where stream_id = $1", r => r.GetString(0), $"parcel-{parcel}"));

    private static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle) >= 0;
}
