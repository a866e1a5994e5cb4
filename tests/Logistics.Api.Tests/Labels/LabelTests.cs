using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Logistics.Api.Tests.Support;
using Logistics.Testing.Core;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

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

        using var document = PdfReader.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), PdfDocumentOpenMode.Import);
        Assert.Equal(1, document.PageCount);
        var page = document.Pages[0];
        Assert.Equal(105, page.Width.Millimeter, 0.5);
        Assert.Equal(148, page.Height.Millimeter, 0.5);

        var text = TextOf(page);
        Assert.Contains(tracking, text, StringComparison.Ordinal);
        Assert.Contains("Consigne Mairie", text, StringComparison.Ordinal);
        Assert.Contains("Boulangerie", text, StringComparison.Ordinal);
        Assert.Contains("Camille", text, StringComparison.Ordinal);
        Assert.Contains("M", text.Split('\n'));
        Assert.DoesNotContain("Martin", text, StringComparison.Ordinal);
        Assert.DoesNotContain("11 22 33", text, StringComparison.Ordinal);
        Assert.DoesNotContain("example.org", text, StringComparison.Ordinal);

        var decoded = ImagesOf(page).Select(Decode).Where(d => d is not null).ToList();
        Assert.Equal([tracking], decoded);
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

    /// <summary>The strings the page's content stream shows (Tj and TJ operands), joined by new lines.</summary>
    private static string TextOf(PdfPage page)
    {
        var shown = new List<string>();
        Walk(ContentReader.ReadContent(page), shown);
        return string.Join('\n', shown);

        static void Walk(CObject item, List<string> shown)
        {
            switch (item)
            {
                case COperator op when op.OpCode.Name is "Tj" or "TJ" or "'" or "\"":
                    shown.Add(string.Concat(Strings(op.Operands)));
                    break;
                case CSequence sequence:
                    foreach (var child in sequence)
                    {
                        Walk(child, shown);
                    }

                    break;
            }
        }

        static IEnumerable<string> Strings(CSequence operands) => operands.SelectMany(o => o switch
        {
            CString s => [s.Value],
            CArray a => Strings(a),
            _ => [],
        });
    }

    /// <summary>The page's images as rows of 8-bit grey, read from the PDF's own image streams.</summary>
    private static IEnumerable<(byte[] Grey, int Width, int Height)> ImagesOf(PdfPage page)
    {
        var objects = page.Resources.Elements.GetDictionary("/XObject");
        if (objects is null)
        {
            yield break;
        }

        foreach (var key in objects.Elements.Keys)
        {
            if (objects.Elements.GetReference(key)?.Value is not PdfDictionary image || image.Elements.GetName("/Subtype") != "/Image")
            {
                continue;
            }

            yield return Grey(image);
        }
    }

    private static (byte[] Grey, int Width, int Height) Grey(PdfDictionary image)
    {
        var width = image.Elements.GetInteger("/Width");
        var height = image.Elements.GetInteger("/Height");
        var bits = image.Elements.GetInteger("/BitsPerComponent");
        var colourSpace = image.Elements["/ColorSpace"];
        var data = image.Stream.UnfilteredValue;
        var (components, palette) = colourSpace switch
        {
            PdfName { Value: "/DeviceRGB" } => (3, (byte[]?)null),
            PdfName { Value: "/DeviceGray" } => (1, null),
            _ => (1, IndexedPalette(colourSpace)),
        };
        var rowBytes = ((width * components * bits) + 7) / 8;
        var grey = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                int Sample(int c)
                {
                    var bitIndex = ((x * components) + c) * bits;
                    var b = data[(y * rowBytes) + (bitIndex / 8)];
                    return bits == 8 ? b : (b >> (8 - bits - (bitIndex % 8))) & ((1 << bits) - 1);
                }

                grey[(y * width) + x] = palette is not null ? palette[Sample(0) * 3]
                    : components == 3 ? (byte)((Sample(0) + Sample(1) + Sample(2)) / 3)
                    : (byte)(Sample(0) * 255 / ((1 << bits) - 1));
            }
        }

        return (grey, width, height);
    }

    private static byte[] IndexedPalette(PdfItem? colourSpace)
    {
        var array = colourSpace is PdfReference r ? r.Value as PdfArray : colourSpace as PdfArray;
        Assert.NotNull(array);
        var lookup = array.Elements[3];
        return lookup switch
        {
            PdfString s => Encoding.Latin1.GetBytes(s.Value),
            PdfReference { Value: PdfDictionary d } => d.Stream.UnfilteredValue,
            _ => throw new InvalidOperationException($"A palette of {lookup?.GetType().Name}"),
        };
    }

    private static string? Decode((byte[] Grey, int Width, int Height) image)
    {
        var source = new RGBLuminanceSource(image.Grey, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        try
        {
            return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)))?.Text;
        }
        catch (ReaderException)
        {
            return null;
        }
    }

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
