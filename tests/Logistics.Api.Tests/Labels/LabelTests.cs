using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Labels;

/// <summary>Issue 16, part 4: the labels a shop prints — an A6 PDF and ZPL — say what the courier needs and nothing more, and only to their shop.</summary>
public sealed partial class LabelTests : ApiTest
{
    [Fact]
    public async Task ThePdfLabelIsOneA6PageNamingTheParcelWithAQrCodeOfItsTrackingNumber()
    {
        var (parcel, tracking) = await Net.RegisterForLockerAsync(size: "M");
        await Server.SettleAsync();

        using var response = await Net.Shop.GetAsync($"/api/parcels/{parcel}/label.pdf");
        await AssertOkAsync(response);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains(tracking, response.Content.Headers.ContentDisposition?.FileName ?? "", StringComparison.Ordinal);

        var label = LabelPdf.Read(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, label.Pages);
        Assert.Equal(105, label.WidthMillimetres, 0.5);
        Assert.Equal(148, label.HeightMillimetres, 0.5);

        var text = label.Text;
        Assert.Contains(tracking, text, StringComparison.Ordinal);
        Assert.Contains("Consigne Mairie", text, StringComparison.Ordinal);
        Assert.Contains("Boulangerie", text, StringComparison.Ordinal);
        Assert.Contains("Camille", text, StringComparison.Ordinal);
        Assert.Contains("M", text.Split('\n'));
        Assert.DoesNotContain("Martin", text, StringComparison.Ordinal);
        Assert.DoesNotContain("11 22 33", text, StringComparison.Ordinal);
        Assert.DoesNotContain("example.org", text, StringComparison.Ordinal);
        Assert.Equal([tracking], label.Codes);
    }

    [Fact]
    public async Task TheZplLabelCarriesAQrCodeOfTheTrackingNumberAndTheSameFields()
    {
        var (parcel, tracking) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();

        using var response = await Server.Operator().GetAsync($"/api/parcels/{parcel}/label.zpl");
        await AssertOkAsync(response);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains(tracking, response.Content.Headers.ContentDisposition?.FileName ?? "", StringComparison.Ordinal);
        var zpl = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("^XA", zpl, StringComparison.Ordinal);
        Assert.EndsWith("^XZ", zpl.TrimEnd(), StringComparison.Ordinal);
        Assert.Matches(@"\^BQN,2,\d+\^FH_\^FDMA," + Regex.Escape(tracking) + @"\^FS", zpl);
        var fields = Fields(zpl);
        Assert.Contains(tracking, fields);
        Assert.Contains("Consigne Mairie", fields);
        Assert.Contains(fields, f => f.Contains("Boulangerie", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.Contains("Camille", StringComparison.Ordinal));
        Assert.DoesNotContain("Martin", zpl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesHoldingCaretOrTildeCannotInjectZplCommands()
    {
        const string shopName = "Fleurs ^FO0,0^FDpwned^FS~JA^XZ";
        var shop = await Server.RegisterAsync("/api/shops", new { name = shopName, address = "3 rue Nationale", latitude = 47.4131, longitude = 0.9834 });
        using var registered = await Server.Client(shop.Key).PostJsonAsync("/api/parcels", new
        {
            recipient = new { name = "Zoé~JR^XZ Dupont", phone = TestNetwork.Phone },
            size = "S",
            destination = new { kind = "locker", lockerId = Net.LockerId },
        });
        var parcel = (await TestCore.ReadAsync<System.Text.Json.JsonElement>(registered)).GetProperty("parcelId").GetString();
        await Server.SettleAsync();

        using var response = await Server.Client(shop.Key).GetAsync($"/api/parcels/{parcel}/label.zpl");
        await AssertOkAsync(response);
        var zpl = await response.Content.ReadAsStringAsync();

        // One label, no device command, and the names print as they were typed.
        Assert.Single(Regex.Matches(zpl, @"\^XZ"));
        Assert.DoesNotContain("~", zpl, StringComparison.Ordinal);
        Assert.DoesNotContain("^FDpwned", zpl, StringComparison.Ordinal);
        var fields = Fields(zpl);
        Assert.Contains(fields, f => f.EndsWith(shopName, StringComparison.Ordinal));
        Assert.Contains(fields, f => f.EndsWith("Zoé~JR^XZ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherShopsParcelHasNoLabelAndCouriersAndStrangersAreRefused()
    {
        var (parcel, _) = await Net.RegisterForLockerAsync();
        await Server.SettleAsync();

        foreach (var format in new[] { "pdf", "zpl" })
        {
            var path = $"/api/parcels/{parcel}/label.{format}";
            using var otherShop = await Server.Client(Net.OtherShopKey).GetAsync(path);
            using var courier = await Net.Courier.GetAsync(path);
            using var anonymous = await Server.Client().GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, otherShop.StatusCode);
            Assert.Equal("application/problem+json", otherShop.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("Camille", await otherShop.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, courier.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
    }

    private static async Task AssertOkAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    /// <summary>Every ^FD field's text, its _XX escapes (^FH) read back as UTF-8.</summary>
    private static List<string> Fields(string zpl) =>
    [
        .. FieldData().Matches(zpl).Select(m => Encoding.UTF8.GetString(Unescape(m.Groups[1].Value))),
    ];

    private static byte[] Unescape(string field)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '_')
            {
                bytes.Add(Convert.ToByte(field.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)field[i]);
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"\^FH_\^FD([^\^~]*)\^FS")]
    private static partial Regex FieldData();
}
