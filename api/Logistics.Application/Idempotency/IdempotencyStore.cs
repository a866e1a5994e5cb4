using Npgsql;

namespace Logistics.Application.Idempotency;

/// <summary>What a request with an Idempotency-Key answered: replayed for a retry of the same request.</summary>
public sealed record StoredAnswer(string RequestHash, int? Status, string? ContentType, byte[]? Body);

/// <summary>
/// The stored answers of requests sent with an <c>Idempotency-Key</c>, scoped to the caller. A key is claimed
/// before the request runs (a second request with the key waits or is refused), completed with the answer, or
/// released when the request failed on our side. A claim older than <see cref="StaleAfter"/> with no answer (the
/// node died mid-request) may be taken again.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource dataSource, TimeProvider clock, NodeLiveness node)
{
    /// <summary>
    /// How long a stored answer is replayed. Past it the row is purged; a late retry still appends nothing twice,
    /// since its event ids derive from the key, but it gets the current answer instead of the original one.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a claim with no answer is kept (the node died mid-request and the caller never retried): past it
    /// the row is purged like an old answer.
    /// </summary>
    public static readonly TimeSpan UnansweredRetention = TimeSpan.FromHours(1);

    // A claim still unanswered is taken over when it is stale, or at once when the node that made it is dead.
    private static readonly string ClaimSql = $"""
        insert into api_idempotency (owner, key, request_hash, created_at, node_key) values ($1, $2, $3, $4, $6)
        on conflict (owner, key) do update set request_hash = excluded.request_hash, created_at = excluded.created_at, node_key = excluded.node_key
            where api_idempotency.status is null
              and (api_idempotency.created_at < $5 or (api_idempotency.node_key is not null and not {NodeLiveness.AliveSql("api_idempotency.node_key")}))
        returning true
        """;

    /// <summary>Claims the key for this request: true when the request may run; false when the key is known (see <see cref="FindAsync"/>).</summary>
    public async Task<bool> ClaimAsync(string owner, string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var claim = dataSource.CreateCommand(ClaimSql);
        claim.Parameters.Add(new NpgsqlParameter { Value = owner });
        claim.Parameters.Add(new NpgsqlParameter { Value = key });
        claim.Parameters.Add(new NpgsqlParameter { Value = requestHash });
        claim.Parameters.Add(new NpgsqlParameter { Value = now });
        claim.Parameters.Add(new NpgsqlParameter { Value = now - StaleAfter });
        claim.Parameters.Add(new NpgsqlParameter { Value = node.Key });
        return await claim.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task<StoredAnswer?> FindAsync(string owner, string key, CancellationToken cancellationToken)
    {
        await using var read = dataSource.CreateCommand(
            "select request_hash, status, content_type, body from api_idempotency where owner = $1 and key = $2");
        read.Parameters.Add(new NpgsqlParameter { Value = owner });
        read.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAnswer(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3))
            : null;
    }

    public async Task CompleteAsync(string owner, string key, int status, string? contentType, byte[] body)
    {
        await using var command = dataSource.CreateCommand(
            "update api_idempotency set status = $3, content_type = $4, body = $5 where owner = $1 and key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)contentType ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = body });
        await command.ExecuteNonQueryAsync();
    }

    public async Task ReleaseAsync(string owner, string key)
    {
        await using var command = dataSource.CreateCommand("delete from api_idempotency where owner = $1 and key = $2 and status is null");
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Deletes the answers older than <see cref="Retention"/> and the claims left unanswered for longer than
    /// <see cref="UnansweredRetention"/>; returns how many.
    /// </summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var purge = dataSource.CreateCommand(
            "delete from api_idempotency where (status is not null and created_at < $1) or (status is null and created_at < $2)");
        purge.Parameters.Add(new NpgsqlParameter { Value = now - Retention });
        purge.Parameters.Add(new NpgsqlParameter { Value = now - UnansweredRetention });
        return await purge.ExecuteNonQueryAsync(cancellationToken);
    }
}
