using System.Security.Cryptography;
using BitFaster.Caching.Lru;
using Npgsql;

namespace Logistics.EventStore.PersonalData;

/// <summary>
/// Per-person keys in <c>es_personal_keys</c>, wrapped by the configured <see cref="KeyEncryptionKeys"/> (the row
/// holds the wrapped key and the id of the KEK that wrapped it; a row without a KEK id holds a key written before
/// keys were wrapped, rewrapped by <see cref="RewrapAsync"/> at start). Erasure sets the key to null and stamps the
/// time. Keys are cached briefly (unwrapped, in memory only) for at most <see cref="CacheCapacity"/> people, least
/// recently used first out; another node may decrypt for up to <see cref="CacheFor"/> after an erasure elsewhere.
/// </summary>
public sealed class PostgresPersonalDataKeys(NpgsqlDataSource dataSource, KeyEncryptionKeys keks, TimeProvider? clock = null, int cacheCapacity = PostgresPersonalDataKeys.CacheCapacity) : IPersonalDataKeys
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    public const int CacheCapacity = 100_000;
    private readonly ConcurrentLru<string, (byte[]? Key, DateTimeOffset Until)> _cache = new(cacheCapacity);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    // Serialisers are synchronous, so key look-ups are too; the cache keeps them off the hot path.
    public byte[] GetOrCreate(string personId)
    {
        if (Cached(personId) is { } cached)
        {
            return cached.Key ?? throw new PersonErasedException(personId);
        }

        using var command = dataSource.CreateCommand(
            """
            insert into es_personal_keys (person_id, key, kek_id) values ($1, $2, $3)
            on conflict (person_id) do update set person_id = excluded.person_id
            returning key, kek_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = personId });
        command.Parameters.Add(new NpgsqlParameter { Value = keks.Wrap(personId, RandomNumberGenerator.GetBytes(32)) });
        command.Parameters.Add(new NpgsqlParameter { Value = keks.CurrentId });
        using var reader = command.ExecuteReader();
        reader.Read();
        var key = Unwrapped(personId, reader);
        Remember(personId, key);
        return key ?? throw new PersonErasedException(personId);
    }

    public byte[]? Find(string personId)
    {
        if (Cached(personId) is { } cached)
        {
            return cached.Key;
        }

        using var command = dataSource.CreateCommand("select key, kek_id from es_personal_keys where person_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = personId });
        using var reader = command.ExecuteReader();
        var key = reader.Read() ? Unwrapped(personId, reader) : null;
        Remember(personId, key);
        return key;
    }

    public async Task EraseAsync(string personId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            insert into es_personal_keys (person_id, key, erased_at) values ($1, null, now())
            on conflict (person_id) do update set key = null, erased_at = coalesce(es_personal_keys.erased_at, now())
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = personId });
        await command.ExecuteNonQueryAsync(cancellationToken);
        _cache.AddOrUpdate(personId, (null, DateTimeOffset.MaxValue));
    }

    public async Task PreloadAsync(IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default)
    {
        var missing = personIds.Where(p => Cached(p) is null).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("select key, kek_id, person_id from es_personal_keys where person_id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = missing });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var person = reader.GetString(2);
                found.Add(person);
                Remember(person, Unwrapped(person, reader));
            }
        }

        // No row: nothing was ever sealed for that person, which reads as erased, as Find says.
        foreach (var person in missing.Where(p => !found.Contains(p)))
        {
            Remember(person, null);
        }
    }

    /// <summary>
    /// Wraps, under the current KEK, every key that is not yet: keys written before keys were wrapped, and keys wrapped
    /// by a previous KEK. Run at start; refuses (<see cref="UnknownKeyEncryptionKeyException"/>) when a key is wrapped
    /// by a KEK this host was not given. Returns how many keys it rewrapped.
    /// </summary>
    public async Task<int> RewrapAsync(CancellationToken cancellationToken = default)
    {
        var rewrapped = new List<(string Person, byte[] Old, byte[] New)>();
        await using (var select = dataSource.CreateCommand("select key, kek_id, person_id from es_personal_keys where key is not null and kek_id is distinct from $1"))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = keks.CurrentId });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var person = reader.GetString(2);
                rewrapped.Add((person, reader.GetFieldValue<byte[]>(0), keks.Wrap(person, Unwrapped(person, reader)!)));
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (person, old, wrapped) in rewrapped)
        {
            // Only if the row is still the one read: an erasure in between keeps its null.
            await using var update = new NpgsqlCommand("update es_personal_keys set key = $2, kek_id = $3 where person_id = $1 and key = $4", connection, transaction);
            update.Parameters.Add(new NpgsqlParameter { Value = person });
            update.Parameters.Add(new NpgsqlParameter { Value = wrapped });
            update.Parameters.Add(new NpgsqlParameter { Value = keks.CurrentId });
            update.Parameters.Add(new NpgsqlParameter { Value = old });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rewrapped.Count;
    }

    /// <summary>The person's key from a row (<c>key, kek_id</c> first): null when erased, as stored before wrapping when no KEK id.</summary>
    private byte[]? Unwrapped(string personId, NpgsqlDataReader row)
    {
        if (row.IsDBNull(0))
        {
            return null;
        }

        var stored = row.GetFieldValue<byte[]>(0);
        return row.IsDBNull(1) ? stored : keks.Unwrap(personId, row.GetString(1), stored);
    }

    private (byte[]? Key, DateTimeOffset Until)? Cached(string personId) =>
        _cache.TryGet(personId, out var entry) && entry.Until > _clock.GetUtcNow() ? entry : null;

    private void Remember(string personId, byte[]? key) => _cache.AddOrUpdate(personId, (key, _clock.GetUtcNow() + CacheFor));

    /// <summary>People held in this node's cache (tests).</summary>
    internal int CachedPeople => _cache.Count;
}
