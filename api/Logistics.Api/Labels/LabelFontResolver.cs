using PdfSharp.Fonts;

namespace Logistics.Api.Labels;

/// <summary>
/// PDFsharp's core build finds no fonts by itself on Linux; every face a label asks for is answered with the one font
/// embedded in this assembly (DejaVu Sans Mono Bold), so a host without installed fonts prints the same label.
/// </summary>
internal sealed class LabelFontResolver : IFontResolver
{
    public const string Family = "LabelMono";
    private const string Face = "LabelMono-Bold";
    private static readonly Lazy<byte[]> Bytes = new(Load);

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(Face);

    public byte[] GetFont(string faceName) => Bytes.Value;

    private static byte[] Load()
    {
        using var stream = typeof(LabelFontResolver).Assembly.GetManifestResourceStream("Logistics.Api.Labels.LabelFont.ttf")
            ?? throw new InvalidOperationException("The label font is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
