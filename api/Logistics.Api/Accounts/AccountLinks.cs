using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Logistics.Api.Accounts;

/// <summary>
/// Single-use links e-mailed to a person: a sign-in link (the fallback to a password or passkey) or an invitation to
/// set a first password. The token is 256 random bits; only its SHA-256 is stored, and redeeming marks it used in the
/// same statement, so two requests racing with one token have one winner.
/// </summary>
public sealed class AccountLinks(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string SignIn = "sign-in";
    public const string Invitation = "invitation";

    public static readonly TimeSpan SignInLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public async Task<string> IssueAsync(Guid accountId, string purpose, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var command = dataSource.CreateCommand(
            "insert into account_links (token_hash, account_id, purpose, created_at, expires_at) values ($1, $2, $3, $4, $5)");
        var now = clock.GetUtcNow();
        command.Parameters.Add(new NpgsqlParameter { Value = Hash(token) });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = purpose });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = now + lifetime });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return token;
    }

    /// <summary>The account the link was for, once: null if unknown, expired, used, or for another purpose.</summary>
    public async Task<Guid?> RedeemAsync(string? token, string purpose, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(
            """
            update account_links set used_at = $3
            where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3
            returning account_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Hash(token) });
        command.Parameters.Add(new NpgsqlParameter { Value = purpose });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        return await command.ExecuteScalarAsync(cancellationToken) is Guid id ? id : null;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
