using System.Security.Cryptography;
using Logistics.Api.Auth;
using Npgsql;

namespace Logistics.Api.Infrastructure;

/// <summary>
/// Gives a POST with an <c>Idempotency-Key</c> header one effect however often it is sent: the first answer is
/// stored and replayed; the same key with another body is refused; a request still running answers 409 with
/// Retry-After. Keys are scoped to the caller. Event ids derive from the key too (see <see cref="CommandContext"/>),
/// so even a crash between the append and storing the answer appends nothing twice on the retry.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>
    /// How long a stored answer is replayed. Past it the row is purged; a late retry still appends nothing twice,
    /// since its event ids derive from the key, but it gets the current answer instead of the original one.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>Deletes the answers older than <see cref="Retention"/>; returns how many.</summary>
    public static async Task<int> PurgeAsync(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var purge = dataSource.CreateCommand("delete from api_idempotency where created_at < $1 and status is not null");
        purge.Parameters.Add(new NpgsqlParameter { Value = now - Retention });
        return await purge.ExecuteNonQueryAsync(cancellationToken);
    }

    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key))
        {
            await next(context);
            return;
        }

        if (key.Length > 200)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, "Idempotency key too long", "An Idempotency-Key has at most 200 characters.", "bad-idempotency-key");
        }

        context.Request.EnableBuffering();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Request.Body.Position = 0;
        var requestHash = Convert.ToHexString(SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(context.Request.Method + " " + context.Request.Path + "\n"), .. body.ToArray()]));
        var owner = context.User.CallerId() ?? "anonymous:" + context.Connection.RemoteIpAddress;

        if (await ClaimAsync(owner, key, requestHash, context) is { } replay)
        {
            context.Response.StatusCode = replay.Status;
            context.Response.ContentType = replay.ContentType;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            await context.Response.Body.WriteAsync(replay.Body, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var completed = false;
        try
        {
            await next(context);
            completed = context.Response.StatusCode < 500;
        }
        finally
        {
            context.Response.Body = original;
            if (completed)
            {
                await CompleteAsync(owner, key, context.Response.StatusCode, context.Response.ContentType, captured.ToArray());
            }
            else
            {
                await ReleaseAsync(owner, key);
            }

            captured.Position = 0;
            await captured.CopyToAsync(original, CancellationToken.None);
        }
    }

    private async Task<Replay?> ClaimAsync(string owner, string key, string requestHash, HttpContext context)
    {
        var now = clock.GetUtcNow();
        await using var claim = dataSource.CreateCommand(
            """
            insert into api_idempotency (owner, key, request_hash, created_at) values ($1, $2, $3, $4)
            on conflict (owner, key) do update set request_hash = excluded.request_hash, created_at = excluded.created_at
                where api_idempotency.status is null and api_idempotency.created_at < $5
            returning true
            """);
        claim.Parameters.Add(new NpgsqlParameter { Value = owner });
        claim.Parameters.Add(new NpgsqlParameter { Value = key });
        claim.Parameters.Add(new NpgsqlParameter { Value = requestHash });
        claim.Parameters.Add(new NpgsqlParameter { Value = now });
        claim.Parameters.Add(new NpgsqlParameter { Value = now - StaleAfter });
        if (await claim.ExecuteScalarAsync(context.RequestAborted) is true)
        {
            return null;
        }

        await using var read = dataSource.CreateCommand(
            "select request_hash, status, content_type, body from api_idempotency where owner = $1 and key = $2");
        read.Parameters.Add(new NpgsqlParameter { Value = owner });
        read.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await read.ExecuteReaderAsync(context.RequestAborted);
        if (!await reader.ReadAsync(context.RequestAborted))
        {
            throw InProgress();
        }

        if (reader.GetString(0) != requestHash)
        {
            throw new ApiProblem(
                StatusCodes.Status422UnprocessableEntity,
                "Idempotency key reused",
                "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
                "idempotency-key-reused");
        }

        if (reader.IsDBNull(1))
        {
            throw InProgress();
        }

        return new Replay(reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<byte[]>(3));
    }

    private static ApiProblem InProgress() => new(
        StatusCodes.Status409Conflict,
        "Request in progress",
        "The same request (same Idempotency-Key) is still being processed. Retry in a second to get its answer.",
        "idempotency-in-progress")
    {
        RetryAfter = TimeSpan.FromSeconds(1),
    };

    private async Task CompleteAsync(string owner, string key, int status, string? contentType, byte[] body)
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

    private async Task ReleaseAsync(string owner, string key)
    {
        await using var command = dataSource.CreateCommand("delete from api_idempotency where owner = $1 and key = $2 and status is null");
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Replay(int Status, string? ContentType, byte[] Body);
}
