using System.Security.Cryptography;
using System.Text;
using BitFaster.Caching.Lru;
using Logistics.Application.Networks;
using Logistics.Application.Streams;
using Npgsql;

namespace Logistics.Application.Access;

/// <summary>A credential's owner: a role, the id of the shop, courier, locker or operator, and its network.</summary>
public sealed record Credential(string Role, string SubjectId, string Name, string Network = NetworkIds.Default);

/// <summary>
/// API keys issued by the operator. Only a SHA-256 of each key is stored (keys are 256-bit random, so a plain hash
/// is enough); the key itself is shown once, at issue. Look-ups (found or not) are cached for at most
/// <see cref="CacheFor"/>, so a key revoked on any node stops working on every node within that time, and the cache
/// holds at most <see cref="CacheCapacity"/> keys (least recently used go first: a flood of made-up keys cannot grow
/// it); revocation clears this node's cache at once.
/// </summary>
public sealed class ApiKeys(NpgsqlDataSource dataSource, TimeProvider clock, int cacheCapacity = ApiKeys.CacheCapacity)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    public const int CacheCapacity = 10_000;
    private readonly ConcurrentLru<string, (Credential? Credential, DateTimeOffset Until)> _cache = new(cacheCapacity);

    /// <summary>Keys held in this node's cache (tests).</summary>
    internal int Cached => _cache.Count;

    /// <summary>Issues a new key for a subject; earlier keys of the subject stay valid until revoked.</summary>
    public async Task<string> IssueAsync(Credential credential, CancellationToken cancellationToken = default)
    {
        var key = $"lg_{credential.Role}_{Base32.Random(32)}";
        await StoreAsync(key, credential, cancellationToken);
        return key;
    }

    /// <summary>Stores a key chosen elsewhere (the operator's bootstrap key from configuration).</summary>
    public async Task StoreAsync(string key, Credential credential, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            insert into api_credentials (key_hash, role, subject_id, name, issued_at, network_id) values ($1, $2, $3, $4, $5, $6)
            on conflict (key_hash) do nothing
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Hash(key) });
        command.Parameters.Add(new NpgsqlParameter { Value = credential.Role });
        command.Parameters.Add(new NpgsqlParameter { Value = credential.SubjectId });
        command.Parameters.Add(new NpgsqlParameter { Value = credential.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter { Value = credential.Network });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Credential?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = Hash(key);
        if (_cache.TryGet(hash, out var cached) && cached.Until > clock.GetUtcNow())
        {
            return cached.Credential;
        }

        await using var command = dataSource.CreateCommand(
            "select role, subject_id, name, network_id from api_credentials where key_hash = $1 and revoked_at is null");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Credential? credential = await reader.ReadAsync(cancellationToken)
            ? new Credential(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3))
            : null;
        _cache.AddOrUpdate(hash, (credential, clock.GetUtcNow() + CacheFor));
        return credential;
    }

    /// <summary>Revokes every key of a subject (of <paramref name="network"/> only, when given).</summary>
    public async Task<int> RevokeAsync(string role, string subjectId, string? network = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "update api_credentials set revoked_at = $3 where role = $1 and subject_id = $2 and revoked_at is null and ($4::text is null or network_id = $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        command.Parameters.Add(new NpgsqlParameter { Value = subjectId });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)network ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var revoked = await command.ExecuteNonQueryAsync(cancellationToken);
        _cache.Clear();
        return revoked;
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
