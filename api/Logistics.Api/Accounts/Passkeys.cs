using System.Net;
using Fido2NetLib;
using Logistics.Api.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Logistics.Api.Accounts;

/// <summary>A person's passkey as stored: the authenticator's credential id, its public key (COSE) and last counter.</summary>
public sealed record StoredPasskey(byte[] CredentialId, Guid AccountId, byte[] PublicKey, uint SignCount, DateTimeOffset CreatedAt, string? Label);

/// <summary>
/// People's passkeys (WebAuthn) in table <c>account_passkeys</c>. Only public keys are kept: the private key never
/// leaves the person's authenticator (their phone, computer or security key).
/// </summary>
public sealed class Passkeys(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "credential_id, account_id, public_key, sign_count, created_at, label";

    /// <summary>Adds a credential; null when its id is registered already (to anyone).</summary>
    public async Task<StoredPasskey?> AddAsync(byte[] credentialId, Guid accountId, byte[] publicKey, uint signCount, string? label, CancellationToken cancellationToken)
    {
        var passkey = new StoredPasskey(credentialId, accountId, publicKey, signCount, clock.GetUtcNow(), label);
        await using var command = dataSource.CreateCommand(
            $"insert into account_passkeys ({Columns}) values ($1, $2, $3, $4, $5, $6) on conflict (credential_id) do nothing");
        command.Parameters.Add(new NpgsqlParameter { Value = credentialId });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = publicKey });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)signCount });
        command.Parameters.Add(new NpgsqlParameter { Value = passkey.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = label });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? passkey : null;
    }

    public async Task<StoredPasskey?> FindAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from account_passkeys where credential_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = credentialId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<StoredPasskey>> OfAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from account_passkeys where account_id = $1 order by created_at, credential_id limit 100");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        var found = new List<StoredPasskey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(Read(reader));
        }

        return found;
    }

    /// <summary>
    /// Records the counter an authenticator reported with a valid signature. Only forwards: a counter that went back
    /// meanwhile (a cloned authenticator racing the real one) leaves the higher value.
    /// </summary>
    public async Task UpdateCountAsync(byte[] credentialId, uint signCount, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("update account_passkeys set sign_count = greatest(sign_count, $2) where credential_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = credentialId });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)signCount });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes one of the account's passkeys; false when it has no such passkey.</summary>
    public async Task<bool> RemoveAsync(Guid accountId, byte[] credentialId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from account_passkeys where credential_id = $1 and account_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = credentialId });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? FromBase64Url(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 1400)
        {
            return null;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        var bytes = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, bytes, out var length) ? bytes[..length] : null;
    }

    private static StoredPasskey Read(NpgsqlDataReader reader) => new(
        reader.GetFieldValue<byte[]>(0),
        reader.GetGuid(1),
        reader.GetFieldValue<byte[]>(2),
        (uint)reader.GetInt64(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetString(5));
}

/// <summary>
/// The relying party the browser checks passkeys against: the host of the configured public address, else of the
/// address this host listens on — never the request's Host header, which a caller chooses. Browsers refuse an IP
/// address as a relying party id, so a host listening on a loopback address without a public address (the demo, the
/// tests) is <c>localhost</c>: its pages use passkeys when opened at http://localhost:port.
/// </summary>
public sealed class RelyingParty(LogisticsOptions options, IServer server)
{
    public const string Name = "Logistics";

    public Fido2 Fido2()
    {
        var (id, origin) = Resolve();
        return new Fido2(new Fido2Configuration
        {
            RPID = id,
            RPName = Name,
            Origins = new HashSet<string>(StringComparer.Ordinal) { origin },
            TimestampDriftTolerance = 300_000,
        });
    }

    public (string Id, string Origin) Resolve()
    {
        var address = options.PublicUrl
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? options.Urls.Split(';')[0];
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return ("localhost", "http://localhost");
        }

        var host = uri.Host;
        if (options.PublicUrl is null && (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) ? IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) : host is "+" or "*"))
        {
            host = "localhost";
        }

        return (host, uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}");
    }
}

/// <summary>
/// The ceremony a browser is in the middle of: the options (and so the challenge) the server sent, kept in a
/// short-lived HttpOnly cookie that only this host can read (data protection: encrypted and signed, with an expiry),
/// so the challenge checked is the one the server chose, never one the client sends back. Each purpose (adding a
/// passkey for one account, signing in) has its own protector: a pending sign-in cannot stand in for a registration.
/// </summary>
public sealed class PendingCeremony(IDataProtectionProvider protection, TimeProvider clock, NpgsqlDataSource dataSource)
{
    public const string CookieName = "__Host-lg-passkey";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public void Keep(HttpContext http, string purpose, string payload)
    {
        var protector = protection.CreateProtector("Logistics.Passkeys", purpose).ToTimeLimitedDataProtector();
        var value = protector.Protect(payload, clock.GetUtcNow() + Lifetime);
        http.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = Lifetime,
        });
    }

    /// <summary>
    /// The pending ceremony of this purpose, once: the cookie is removed whatever it held, and its challenge is
    /// recorded as used on the server (on every node), so a captured answer sent again with a copy of the cookie is
    /// refused even by an authenticator whose signature counter stays at 0.
    /// </summary>
    public async Task<string?> TakeAsync(HttpContext http, string purpose, CancellationToken cancellationToken)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        http.Response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/" });
        string? payload;
        DateTimeOffset expires;
        try
        {
            payload = protection.CreateProtector("Logistics.Passkeys", purpose).ToTimeLimitedDataProtector().Unprotect(value, out expires);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        if (payload is null || expires <= clock.GetUtcNow())
        {
            return null;
        }

        await using var used = dataSource.CreateCommand(
            """
            with purged as (delete from passkey_challenges_used where expires_at < $3)
            insert into passkey_challenges_used (hash, expires_at) values ($1, $2) on conflict (hash) do nothing returning true
            """);
        used.Parameters.Add(new NpgsqlParameter { Value = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(purpose + "\n" + payload)) });
        used.Parameters.Add(new NpgsqlParameter { Value = expires });
        used.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        return await used.ExecuteScalarAsync(cancellationToken) is true ? payload : null;
    }
}
