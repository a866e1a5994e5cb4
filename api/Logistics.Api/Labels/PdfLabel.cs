using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using QRCoder;

namespace Logistics.Api.Labels;

/// <summary>An A6 (105 × 148 mm) PDF label: the tracking number large, a QR code of it for the courier's scanner, the destination, the size and the shop.</summary>
public static class PdfLabel
{
    private static readonly Lock Setup = new();

    // WinAnsi text is written as plain strings in the page (not glyph ids), so what the label says can be searched and read back.
    private static readonly XPdfFontOptions Text = new(PdfFontEncoding.WinAnsi);

    public static byte[] Render(ParcelLabel label)
    {
        UseLabelFont();
        using var document = new PdfDocument();
        document.Info.Title = $"Label {label.TrackingId}";
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(105);
        page.Height = XUnit.FromMillimeter(148);
        using (var g = XGraphics.FromPdfPage(page))
        {
            var width = page.Width.Point;
            var margin = XUnit.FromMillimeter(6).Point;
            var small = new XFont(LabelFontResolver.Family, 9, XFontStyleEx.Bold, Text);
            var medium = new XFont(LabelFontResolver.Family, 13, XFontStyleEx.Bold, Text);
            var large = new XFont(LabelFontResolver.Family, Fit(label.TrackingId, width - (2 * margin)), XFontStyleEx.Bold, Text);
            var y = margin;

            Line(g, small, $"EXPÉDITEUR / FROM: {label.ShopName}", margin, ref y, width);
            y += 4;
            g.DrawString(label.TrackingId, large, XBrushes.Black, new XRect(margin, y, width - (2 * margin), large.Height), XStringFormats.TopCenter);
            y += large.Height + 6;

            var qrSide = XUnit.FromMillimeter(55).Point;
            using (var qr = XImage.FromStream(new MemoryStream(QrImage(label.TrackingId))))
            {
                qr.Interpolate = false;
                g.DrawImage(qr, (width - qrSide) / 2, y, qrSide, qrSide);
            }

            y += qrSide + 8;
            g.DrawLine(new XPen(XColors.Black, 1.5), margin, y, width - margin, y);
            y += 6;
            Line(g, small, label.DestinationTitle, margin, ref y, width);
            if (label.DestinationName.Length > 0)
            {
                Line(g, medium, label.DestinationName, margin, ref y, width);
            }

            Line(g, medium, $"POUR / FOR: {label.RecipientFirstName}", margin, ref y, width);

            var box = XUnit.FromMillimeter(16).Point;
            var boxTop = page.Height.Point - margin - box;
            g.DrawRectangle(new XPen(XColors.Black, 2), width - margin - box, boxTop, box, box);
            g.DrawString(label.Size, new XFont(LabelFontResolver.Family, 30, XFontStyleEx.Bold, Text), XBrushes.Black, new XRect(width - margin - box, boxTop, box, box), XStringFormats.Center);
            g.DrawString("TAILLE / SIZE", small, XBrushes.Black, new XRect(margin, boxTop, width - (2 * margin) - box - 6, box), XStringFormats.CenterRight);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>
    /// The QR code of a tracking number as a bitmap, 10 pixels a module with the standard quiet zone (a BMP: PDFsharp's
    /// importer reads it, where it refuses QRCoder's 1-bit PNG).
    /// </summary>
    public static byte[] QrImage(string trackingId)
    {
        using var data = QRCodeGenerator.GenerateQrCode(trackingId, QRCodeGenerator.ECCLevel.M);
        return new BitmapByteQRCode(data).GetGraphic(10);
    }

    private static void Line(XGraphics g, XFont font, string text, double margin, ref double y, double width)
    {
        g.DrawString(text, font, XBrushes.Black, new XRect(margin, y, width - (2 * margin), font.Height), XStringFormats.TopLeft);
        y += font.Height + 2;
    }

    /// <summary>The largest type (up to 28 pt) at which the tracking number fits the label's width: a monospaced face is 0.6 em a character.</summary>
    private static double Fit(string text, double width) => Math.Min(28, width / (0.6 * Math.Max(1, text.Length)));

    private static void UseLabelFont()
    {
        // PDFsharp's font resolver is process-wide and may be set once only.
        lock (Setup)
        {
            GlobalFontSettings.FontResolver ??= new LabelFontResolver();
        }
    }
}
