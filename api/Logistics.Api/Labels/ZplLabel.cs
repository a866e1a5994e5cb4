using System.Text;

namespace Logistics.Api.Labels;

/// <summary>
/// A ZPL II label for the 4 × 6 in (100 × 150 mm, 203 dpi) thermal printers shops use: the same fields as the PDF
/// and a QR code (^BQ) of the tracking number. Every text field is written hex-escaped under ^FH, so a name holding
/// ^ or ~ prints as those characters and cannot start a printer command.
/// </summary>
public static class ZplLabel
{
    private const char Escape = '_';

    public static string Render(ParcelLabel label)
    {
        var zpl = new StringBuilder();
        zpl.Append("^XA\n^CI28\n^PW812\n^LL1218\n^LH0,0\n");
        Field(zpl, 40, 40, 28, $"EXPÉDITEUR / FROM: {label.ShopName}");
        Field(zpl, 40, 100, 70, label.TrackingId);
        zpl.Append("^FO206,200^BQN,2,10^FH").Append(Escape).Append("^FDMA,").Append(Hex(label.TrackingId)).Append("^FS\n");
        zpl.Append("^FO40,720^GB732,4,4^FS\n");
        Field(zpl, 40, 750, 30, label.DestinationTitle);
        Field(zpl, 40, 800, 45, label.DestinationName);
        Field(zpl, 40, 870, 45, $"POUR / FOR: {label.RecipientFirstName}");
        Field(zpl, 40, 1060, 30, "TAILLE / SIZE");
        zpl.Append("^FO592,1000^GB180,180,6^FS\n");
        Field(zpl, 632, 1030, 140, label.Size);
        zpl.Append("^XZ\n");
        return zpl.ToString();
    }

    private static void Field(StringBuilder zpl, int x, int y, int height, string text) =>
        zpl.Append("^FO").Append(x).Append(',').Append(y)
            .Append("^A0N,").Append(height).Append(',').Append(height)
            .Append("^FH").Append(Escape).Append("^FD").Append(Hex(text)).Append("^FS\n");

    /// <summary>A field's text with every byte that is not plain printable ASCII, and ^, ~ and the escape character, as _XX (its UTF-8 bytes).</summary>
    public static string Hex(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and < 0x7F && b != '^' && b != '~' && b != Escape)
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append(Escape).Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
