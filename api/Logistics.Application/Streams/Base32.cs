using System.Security.Cryptography;

namespace Logistics.Application.Streams;

/// <summary>Random strings in Crockford's base 32 (no I, L, O, U: nothing to misread on a label or over the phone).</summary>
public static class Base32
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string Random(int length) =>
        string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
}
