using System.Security.Cryptography;
using System.Text;
using Logistics.Domain;
using Npgsql;

namespace Logistics.Application.Parcels;

/// <summary>
/// Pickup codes: 8 digits from a CSPRNG, to be typed with the last 4 digits of the recipient's phone (a recipient
/// without a phone gets a 12-digit code instead), so the secret is always 12 digits (10^12 values). Only a keyed
/// hash (HMAC-SHA256 under a server secret, bound to the parcel) is stored. With at most 20 failures an hour per
/// locker (175,200 a year) against at most 60 valid codes in a locker, an attacker expects
/// 175,200 × 60 / 10^12 ≈ 1.1 × 10^-5 successes per locker per year — under the 10^-4 bar; a single parcel allows
/// 5 wrong attempts before its code is blocked.
/// </summary>
public sealed class PickupCodes(byte[] key)
{
    public const int CodeDigits = 8;
    public const int PhoneDigits = 4;

    /// <summary>The last digits that name a phone whatever its country or trunk prefix.</summary>
    public const int PhoneIdentityDigits = 9;
    public const int MaxFailuresPerLockerPerHour = 20;

    /// <summary>Loads the server's code key, creating it on first start.</summary>
    public static async Task<PickupCodes> LoadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            insert into app_secrets (name, value) values ('pickup-code-key', $1)
            on conflict (name) do update set name = excluded.name
            returning value
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = RandomNumberGenerator.GetBytes(32) });
        return new PickupCodes((byte[])(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>A new code for a parcel: what the recipient is told, and the hash to store.</summary>
    public IssuedCode Issue(ParcelId parcel, string? phone)
    {
        var digits = PhoneSuffix(phone) is null ? CodeDigits + PhoneDigits : CodeDigits;
        var code = RandomDigits(digits);
        var secret = code + (PhoneSuffix(phone) ?? "");
        return new IssuedCode(code, PhoneSuffix(phone) is not null, Hash(parcel, secret)) { Secret = secret };
    }

    /// <summary>The hash another parcel stores for the same code (a code shared by one recipient's parcels).</summary>
    public string HashFor(ParcelId parcel, IssuedCode code) => Hash(parcel, code.Secret);

    /// <summary>
    /// Who a parcel is for, as far as sharing a code goes: a keyed hash of the phone's digits (the phone itself is
    /// stored nowhere new), or null without a phone (a code is shared only by the same phone).
    /// </summary>
    public byte[]? RecipientKey(string? phone)
    {
        var identity = PhoneIdentity(phone);
        return identity.Length >= PhoneDigits ? HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("recipient-phone:" + identity)) : null;
    }

    /// <summary>
    /// The digits that name a phone whatever its prefix: the last 9 (06 12 34 56 78 and +33 6 12 34 56 78 alike), or
    /// all of a shorter number. What a shared code and a home box's owner are matched by, keyed.
    /// </summary>
    public static string PhoneIdentity(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length > PhoneIdentityDigits ? digits[^PhoneIdentityDigits..] : digits;
    }

    /// <summary>Checks what was typed (the code, then the phone digits if asked) in constant time.</summary>
    public bool Matches(ParcelId parcel, string storedHash, string typed)
    {
        var normalised = new string(typed.Where(char.IsAsciiDigit).ToArray());
        var expected = Convert.FromHexString(storedHash);
        var actual = Convert.FromHexString(Hash(parcel, normalised));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>
    /// <paramref name="value"/> keyed with the same server secret under its own <paramref name="purpose"/> (a home box's
    /// pairing code, a resident's phone): what is stored and compared instead of the value in clear.
    /// </summary>
    public string Keyed(string purpose, string value) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + "\n" + value)));

    private string Hash(ParcelId parcel, string secret) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(parcel.Value + ":" + secret)));

    public static string? PhoneSuffix(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= PhoneDigits ? digits[^PhoneDigits..] : null;
    }

    private static string RandomDigits(int count) =>
        string.Create(count, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
            }
        });
}

/// <summary>A freshly issued code: shown once to the recipient, never stored in clear.</summary>
public sealed record IssuedCode(string Code, bool WithPhoneDigits, string Hash)
{
    /// <summary>What the recipient types in full (code and phone digits): kept in memory only, to derive verifiers.</summary>
    public string Secret { get; init; } = Code;

    /// <summary>"4829 1730", grouped for reading aloud.</summary>
    public string Display => string.Join(' ', Enumerable.Range(0, (Code.Length + 3) / 4).Select(i => Code.Substring(i * 4, Math.Min(4, Code.Length - (i * 4)))));
}
