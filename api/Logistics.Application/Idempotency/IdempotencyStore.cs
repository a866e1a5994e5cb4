using System.Collections.Concurrent;
using Npgsql;

namespace Logistics.Application.Idempotency;

/// <summary>What a request with an Idempotency-Key answered: replayed for a retry of the same request.</summary>
public sealed record StoredAnswer(string RequestHash, int? Status, string? ContentType, byte[]? Body);

/// <summary>One request's hold on its key: only this request completes or releases it (<see cref="Id"/>).</summary>
public sealed record IdempotencyClaim(string Owner, string Key, Guid Id);

/// <summary>
/// The stored answers of requests sent with an <c>Idempotency-Key</c>, scoped to the caller. A key is claimed
/// before the request runs (a second request with the key waits or is refused), completed with the answer, or
/// released when the request failed on our side. A claim older than <see cref="StaleAfter"/> with no answer (the
/// node died mid-request) may be taken again.
/// <para>
/// The database may be gone when a request ends (a failover, a restart): its answer or its release is then kept here
/// and written once the database is back (<see cref="WritePendingAsync"/>, every half second on every node), so a
/// client retrying after the outage gets the answer, or runs the request again, instead of "in progress" until the
/// claim grows stale. A claim whose taking failed half way (sent, no reply) is released the same way.
/// </para>
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

    /// <summary>How many answers and releases wait for the database (<see cref="WritePendingAsync"/>) at most.</summary>
    public const int MaxPending = 10_000;

    // A claim still unanswered is taken over when it is stale, or at once when the node that made it is dead.
    private static readonly string ClaimSql = $"""
        insert into api_idempotency (owner, key, request_hash, created_at, node_key, claim_id) values ($1, $2, $3, $4, $6, $7)
        on conflict (owner, key) do update set request_hash = excluded.request_hash, created_at = excluded.created_at, node_key = excluded.node_key, claim_id = excluded.claim_id
            where api_idempotency.status is null
              and (api_idempotency.created_at < $5 or (api_idempotency.node_key is not null and not {NodeLiveness.AliveSql("api_idempotency.node_key")}))
        returning true
        """;

    private readonly ConcurrentQueue<PendingEnd> _pending = new();

    /// <summary>Answers and releases not written yet: the database was unreachable when their request ended.</summary>
    public int Pending => _pending.Count;

    /// <summary>Claims the key for this request: the claim when the request may run; null when the key is known (see <see cref="FindAsync"/>).</summary>
    public async Task<IdempotencyClaim?> ClaimAsync(string owner, string key, string requestHash, CancellationToken cancellationToken)
    {
        var claim = new IdempotencyClaim(owner, key, Guid.CreateVersion7());
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = requestHash });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = now - StaleAfter });
        command.Parameters.Add(new NpgsqlParameter { Value = node.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Id });
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) is true ? claim : null;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The claim may have been written before the reply was lost: it is released once the database answers.
            Defer(new PendingEnd(claim, null, clock.GetUtcNow()));
            throw;
        }
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

    /// <summary>Stores the request's answer; when the database is unreachable, the answer is written once it is back.</summary>
    public Task CompleteAsync(IdempotencyClaim claim, int status, string? contentType, byte[] body) =>
        WriteOrDeferAsync(new PendingEnd(claim, new Answer(status, contentType, body), clock.GetUtcNow()));

    /// <summary>Gives the key back after the request failed on our side; when the database is unreachable, once it is back.</summary>
    public Task ReleaseAsync(IdempotencyClaim claim) => WriteOrDeferAsync(new PendingEnd(claim, null, clock.GetUtcNow()));

    /// <summary>
    /// Writes the answers and releases kept while the database was unreachable; returns how many were written. Those
    /// that still fail stay for the next pass; those older than <see cref="UnansweredRetention"/> are dropped (their
    /// claim was purged or taken over since).
    /// </summary>
    public async Task<int> WritePendingAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        for (var n = _pending.Count; n > 0 && _pending.TryDequeue(out var pending); n--)
        {
            if (pending.Since < clock.GetUtcNow() - UnansweredRetention)
            {
                continue;
            }

            try
            {
                await WriteAsync(pending, cancellationToken);
                written++;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                _pending.Enqueue(pending);
                break;
            }
        }

        return written;
    }

    private async Task WriteOrDeferAsync(PendingEnd pending)
    {
        try
        {
            await WriteAsync(pending, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Defer(pending);
        }
    }

    private void Defer(PendingEnd pending)
    {
        if (_pending.Count < MaxPending)
        {
            _pending.Enqueue(pending);
        }
    }

    // Only the claim's own request writes its end: a claim taken over since (stale, or its node dead) is left alone.
    private async Task WriteAsync(PendingEnd pending, CancellationToken cancellationToken)
    {
        var (claim, answer, _) = pending;
        await using var command = dataSource.CreateCommand(answer is null
            ? "delete from api_idempotency where owner = $1 and key = $2 and claim_id = $3 and status is null"
            : "update api_idempotency set status = $4, content_type = $5, body = $6 where owner = $1 and key = $2 and claim_id = $3 and status is null");
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Owner });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Id });
        if (answer is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = answer.Status });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)answer.ContentType ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = answer.Body });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
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

    private sealed record Answer(int Status, string? ContentType, byte[] Body);

    // A request's end not written yet: its answer, or (null) its release.
    private sealed record PendingEnd(IdempotencyClaim Claim, Answer? Answer, DateTimeOffset Since);
}

/// <summary>Writes, every half second, the request ends the database could not take when they happened (<see cref="IdempotencyStore.WritePendingAsync"/>).</summary>
public sealed class IdempotencyWriteBehind(IdempotencyStore store) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (store.Pending > 0)
            {
                await store.WritePendingAsync(stoppingToken);
            }
        }
    }
}
