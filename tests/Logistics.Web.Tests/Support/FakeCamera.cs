using System.Buffers.Binary;
using System.Text;

namespace Logistics.Web.Tests.Support;

/// <summary>
/// A camera for Chromium's fake capture (<c>--use-file-for-fake-video-capture</c>): a Y4M video whose frames show an
/// image — a label's QR code — on a white page, as a phone held over the label sees it. Y4M is a text header and raw
/// I420 frames; the image's grey levels make the Y plane, colour planes stay neutral.
/// </summary>
public static class FakeCamera
{
    public const int Width = 640;
    public const int Height = 480;

    /// <summary>Writes a few frames of the bitmap (a BMP, 24 or 32 bits a pixel) centred on white, and returns the file's path.</summary>
    public static string WriteY4m(byte[] bmp, string path, int frames = 5)
    {
        var (width, height, grey) = ReadBmp(bmp);
        if (width > Width || height > Height)
        {
            throw new ArgumentException($"The image ({width}×{height}) does not fit a {Width}×{Height} frame.", nameof(bmp));
        }

        var luma = new byte[Width * Height];
        Array.Fill(luma, (byte)255);
        var (left, top) = ((Width - width) / 2, (Height - height) / 2);
        for (var y = 0; y < height; y++)
        {
            Array.Copy(grey, y * width, luma, ((top + y) * Width) + left, width);
        }

        var chroma = new byte[Width / 2 * (Height / 2)];
        Array.Fill(chroma, (byte)128);
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F10:1 Ip A1:1 C420jpeg\n"));
        for (var f = 0; f < frames; f++)
        {
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma);
            file.Write(chroma);
        }

        return path;
    }

    // A BMP's pixels as grey levels, top row first (BMP rows are stored bottom-up unless the height is negative).
    private static (int Width, int Height, byte[] Grey) ReadBmp(byte[] bmp)
    {
        if (bmp is not [(byte)'B', (byte)'M', ..])
        {
            throw new ArgumentException("Not a BMP.", nameof(bmp));
        }

        var offset = BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(10));
        var width = BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(18));
        var rawHeight = BinaryPrimitives.ReadInt32LittleEndian(bmp.AsSpan(22));
        var bits = BinaryPrimitives.ReadInt16LittleEndian(bmp.AsSpan(28));
        if (bits is not (24 or 32))
        {
            throw new ArgumentException($"A {bits}-bit BMP: only 24 and 32 bits are read here.", nameof(bmp));
        }

        var height = Math.Abs(rawHeight);
        var bytesPerPixel = bits / 8;
        var stride = ((width * bytesPerPixel) + 3) & ~3;
        var grey = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var row = offset + ((rawHeight > 0 ? height - 1 - y : y) * stride);
            for (var x = 0; x < width; x++)
            {
                var p = row + (x * bytesPerPixel);
                grey[(y * width) + x] = (byte)(((bmp[p] * 29) + (bmp[p + 1] * 150) + (bmp[p + 2] * 77)) >> 8); // B, G, R
            }
        }

        return (width, height, grey);
    }
}
