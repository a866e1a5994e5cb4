using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;

namespace Logistics.EventStore.PersonalData;

/// <summary>
/// Per-person keys in <c>es_personal_keys</c>. Erasure sets the key to null and stamps the time. Keys are cached
/// briefly; another node may decrypt for up to <see cref="CacheFor"/> after an erasure elsewhere.
/// </summary>
public sealed class PostgresPersonalDataKeys(NpgsqlDataSource dataSource, TimeProvider? clock = null) : IPersonalDataKeys
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (byte[]? Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
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
            insert into es_personal_keys (person_id, key) values ($1, $2)
            on conflict (person_id) do update set person_id = excluded.person_id
            returning key
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = personId });
        command.Parameters.Add(new NpgsqlParameter { Value = RandomNumberGenerator.GetBytes(32) });
        var key = command.ExecuteScalar() as byte[];
        Remember(personId, key);
        return key ?? throw new PersonErasedException(personId);
    }

    public byte[]? Find(string personId)
    {
        if (Cached(personId) is { } cached)
        {
            return cached.Key;
        }

        using var command = dataSource.CreateCommand("select key from es_personal_keys where person_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = personId });
        var key = command.ExecuteScalar() as byte[];
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
        _cache[personId] = (null, DateTimeOffset.MaxValue);
    }

    public async Task PreloadAsync(IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default)
    {
        var missing = personIds.Where(p => Cached(p) is null).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("select person_id, key from es_personal_keys where person_id = any($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = missing });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var person = reader.GetString(0);
                found.Add(person);
                Remember(person, reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1));
            }
        }

        // No row: nothing was ever sealed for that person, which reads as erased, as Find says.
        foreach (var person in missing.Where(p => !found.Contains(p)))
        {
            Remember(person, null);
        }
    }

    private (byte[]? Key, DateTimeOffset Until)? Cached(string personId) =>
        _cache.TryGetValue(personId, out var entry) && entry.Until > _clock.GetUtcNow() ? entry : null;

    private void Remember(string personId, byte[]? key) => _cache[personId] = (key, _clock.GetUtcNow() + CacheFor);
}
