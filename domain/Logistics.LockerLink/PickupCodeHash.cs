using System.Security.Cryptography;
using System.Text;

namespace Logistics.LockerLink;

/// <summary>
/// The keyed hash of a pickup code, as the core computes it for provisioning and the board for checking:
/// HMAC-SHA256(key, UTF-8 of the code with spaces and dashes removed, upper-cased).
/// The board never holds clear codes, and without the key a stolen hash list cannot be brute-forced offline.
/// </summary>
public static class PickupCodeHash
{
    public static byte[] Compute(ReadOnlySpan<byte> key, string code) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Normalise(code)));

    public static string Normalise(string code)
    {
        var builder = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (c is not (' ' or '-'))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }
}
