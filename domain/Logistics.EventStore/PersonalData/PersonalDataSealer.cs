using System.Security.Cryptography;
using System.Text;

namespace Logistics.EventStore.PersonalData;

/// <summary>
/// Seals bytes with a person's key (AES-GCM, the person id authenticated as associated data). Anything sealed
/// this way — events' personal data, queued messages — becomes unreadable when the person's key is erased.
/// </summary>
public sealed class PersonalDataSealer(IPersonalDataKeys keys)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public IPersonalDataKeys Keys => keys;

    public byte[] Seal(string personId, ReadOnlySpan<byte> plain)
    {
        var key = keys.GetOrCreate(personId);
        var blob = new byte[NonceSize + TagSize + plain.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, NonceSize));
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(blob.AsSpan(0, NonceSize), plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(personId));
        return blob;
    }

    /// <summary>The plain bytes, or null when the person's key was erased.</summary>
    public byte[]? Unseal(string personId, byte[] blob)
    {
        var plain = new byte[Math.Max(0, blob.Length - NonceSize - TagSize)];
        return TryUnseal(personId, blob, plain) < 0 ? null : plain;
    }

    /// <summary>
    /// Unseals <paramref name="blob"/> into <paramref name="plain"/> (at least the blob's length less 28 bytes);
    /// returns how many bytes were written, or -1 when the person's key was erased.
    /// </summary>
    public int TryUnseal(string personId, ReadOnlySpan<byte> blob, Span<byte> plain)
    {
        var key = keys.Find(personId);
        if (key is null)
        {
            return -1;
        }

        if (blob.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("A sealed value is shorter than its nonce and tag.");
        }

        var written = blob.Length - NonceSize - TagSize;
        var length = Encoding.UTF8.GetMaxByteCount(personId.Length);
        var associated = length <= 256 ? stackalloc byte[length] : new byte[length];
        associated = associated[..Encoding.UTF8.GetBytes(personId, associated)];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob[..NonceSize], blob[(NonceSize + TagSize)..], blob.Slice(NonceSize, TagSize), plain[..written], associated);
        return written;
    }
}
