using System.Security.Cryptography;
using System.Text;

namespace Logistics.EventStore.PersonalData;

/// <summary>
/// The key-encryption keys (KEK) that wrap the per-person keys in <c>es_personal_keys</c> (AES-GCM, the person id as
/// associated data, so a wrapped key copied to another person's row does not open). They come from configuration,
/// never from the database: a backup of the database alone decrypts nothing. Each wrapped key is stored with the id of
/// the KEK that wrapped it, so a new KEK can be introduced while the previous ones still unwrap (and keys are rewrapped
/// under the new one at start, see <see cref="PostgresPersonalDataKeys.RewrapAsync"/>).
/// </summary>
public sealed class KeyEncryptionKeys
{
    public const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _byId = new(StringComparer.Ordinal);

    /// <param name="current">The KEK new keys are wrapped with.</param>
    /// <param name="previous">Older KEKs, still accepted for unwrapping until every key is rewrapped.</param>
    public KeyEncryptionKeys(byte[] current, IEnumerable<byte[]>? previous = null)
    {
        foreach (var kek in previous?.Prepend(current) ?? [current])
        {
            if (kek.Length != KeySize)
            {
                throw new ArgumentException($"A key-encryption key is {KeySize} bytes, not {kek.Length}.", nameof(current));
            }

            _byId.TryAdd(IdOf(kek), kek);
        }

        CurrentId = IdOf(current);
    }

    /// <summary>The id stored with every key wrapped now.</summary>
    public string CurrentId { get; }

    /// <summary>
    /// A KEK's id: a keyed digest of the KEK itself (HMAC-SHA256 of a fixed label, 8 bytes in hex), the same on every
    /// node given the same KEK, and telling nothing about it.
    /// </summary>
    public static string IdOf(byte[] kek) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(kek, "logistics personal-data kek id"u8)[..8]);

    /// <summary>Parses the configured KEKs: base64 of 32 bytes each, the previous ones separated by commas.</summary>
    /// <exception cref="FormatException">A value is not base64 of 32 bytes (the message names which).</exception>
    public static KeyEncryptionKeys Parse(string current, string? previous = null)
    {
        var older = (previous ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => Decode(p, "a previous key-encryption key"));
        return new KeyEncryptionKeys(Decode(current, "the key-encryption key"), older.ToArray());
    }

    /// <summary>A new random KEK (base64), for hosts that keep their own (the demo).</summary>
    public static string NewBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize));

    public bool Knows(string kekId) => _byId.ContainsKey(kekId);

    /// <summary>Wraps a person's key with the current KEK.</summary>
    public byte[] Wrap(string personId, ReadOnlySpan<byte> key)
    {
        var blob = new byte[NonceSize + TagSize + key.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, NonceSize));
        using var aes = new AesGcm(_byId[CurrentId], TagSize);
        aes.Encrypt(blob.AsSpan(0, NonceSize), key, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), AssociatedData(personId));
        return blob;
    }

    /// <summary>Unwraps a person's key wrapped by the KEK <paramref name="kekId"/>.</summary>
    /// <exception cref="UnknownKeyEncryptionKeyException">That KEK is not configured here.</exception>
    /// <exception cref="CryptographicException">The wrapped key was altered or belongs to another person.</exception>
    public byte[] Unwrap(string personId, string kekId, byte[] wrapped)
    {
        if (!_byId.TryGetValue(kekId, out var kek))
        {
            throw new UnknownKeyEncryptionKeyException(kekId, CurrentId);
        }

        var key = new byte[wrapped.Length - NonceSize - TagSize];
        using var aes = new AesGcm(kek, TagSize);
        aes.Decrypt(wrapped.AsSpan(0, NonceSize), wrapped.AsSpan(NonceSize + TagSize), wrapped.AsSpan(NonceSize, TagSize), key, AssociatedData(personId));
        return key;
    }

    private static byte[] AssociatedData(string personId) => Encoding.UTF8.GetBytes("es_personal_keys/" + personId);

    private static byte[] Decode(string base64, string what)
    {
        var bytes = new byte[KeySize + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), bytes, out var length) || length != KeySize)
        {
            throw new FormatException($"{what} is not base64 of {KeySize} bytes (make one with: openssl rand -base64 {KeySize})");
        }

        return bytes[..KeySize];
    }
}

/// <summary>
/// Personal keys are wrapped by a KEK this host was not given (another environment's, or a KEK rotated away too soon):
/// nothing personal can be read, so the host does not start rather than show everyone as erased.
/// </summary>
public sealed class UnknownKeyEncryptionKeyException : Exception
{
    public UnknownKeyEncryptionKeyException(string kekId, string currentId)
        : base($"personal keys are wrapped by key-encryption key {kekId}, which this host was not given (its own is {currentId}): " +
            "set LOGISTICS_PERSONAL_DATA_KEK to that key, or name it in LOGISTICS_PERSONAL_DATA_KEK_PREVIOUS while rotating")
    {
    }

    public UnknownKeyEncryptionKeyException()
    {
    }

    public UnknownKeyEncryptionKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
