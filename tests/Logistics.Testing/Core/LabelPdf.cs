using System.Text;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Logistics.Testing.Core;

/// <summary>
/// A printed label read back as a courier's scanner and a reader would: its pages' size, the text its content streams
/// show, and the QR codes its images decode to.
/// </summary>
public sealed record LabelPdf(int Pages, double WidthMillimetres, double HeightMillimetres, string Text, IReadOnlyList<string> Codes)
{
    /// <summary>Reads a PDF label (its first page's size, text and codes).</summary>
    public static LabelPdf Read(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var page = document.Pages[0];
        var codes = ImagesOf(page).Select(Decode).OfType<string>().ToList();
        return new LabelPdf(document.PageCount, page.Width.Millimeter, page.Height.Millimeter, TextOf(page), codes);
    }

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
        if (array is null)
        {
            throw new InvalidOperationException($"An indexed colour space of {colourSpace?.GetType().Name}");
        }

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

}
