using System.Diagnostics;
using System.Text;
using Logistics.Application.Notifications;
using Logistics.Application.Schema;
using Npgsql;
using NpgsqlTypes;
using StandardWebhooks;

namespace Logistics.Application.Webhooks;

/// <summary>
/// Sends queued webhooks at least once, signed per Standard Webhooks (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>: HMAC-SHA256 of id, timestamp and body with the endpoint's secret). Like the outbox: a
/// batch is claimed with a lease (SKIP LOCKED, so several API nodes share the work), each delivery is sent outside any
/// transaction and marked with its attempt; a 2xx answer delivers it, anything else is retried with a growing delay
/// until its retries are used up. Redirects are not followed. The log names the delivery and the endpoint by id only
/// (a URL may carry a token).
/// </summary>
public sealed class WebhookDispatcher(
    NpgsqlDataSource dataSource, WebhookSubscriptions subscriptions, IHttpClientFactory clients, TimeProvider clock, Idempotency.NodeLiveness node, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>The named HTTP client (no redirects, <see cref="SendTimeout"/>).</summary>
    public const string HttpClientName = "webhooks";

    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed batch is this node's: longer than its sends may take (10 × 10 s).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(3);

    private const int BatchSize = 10;

    /// <summary>Sends what is due now; returns how many deliveries succeeded.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var delivered = 0;
        foreach (var due in await ClaimAsync(cancellationToken))
        {
            var (status, error, elapsed) = await SendAsync(due, cancellationToken);
            await MarkAsync(due, status, error, elapsed, cancellationToken);
            delivered += error is null ? 1 : 0;
        }

        return delivered;
    }

    private async Task<(int? Status, string? Error, TimeSpan Elapsed)> SendAsync(Due due, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var secret = subscriptions.Unwrap(due.Endpoint, due.KekId, due.WrappedSecret);
            var messageId = $"msg_{due.Id:N}";
            var timestamp = clock.GetUtcNow();
            using var request = new HttpRequestMessage(HttpMethod.Post, due.Url)
            {
                Content = new StringContent(due.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("webhook-id", messageId);
            request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(messageId, timestamp, due.Payload));
            using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            sending.CancelAfter(SendTimeout);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, sending.Token);
            var code = (int)response.StatusCode;
            return (code, code is >= 200 and < 300 ? null : $"the endpoint answered {code}", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = e switch
            {
                System.Security.Cryptography.CryptographicException or EventStore.PersonalData.UnknownKeyEncryptionKeyException => "the endpoint's secret cannot be unwrapped here",
                _ => OutboxDispatcher.Describe(e, "the endpoint"),
            };
            logger.LogWarning("Webhook delivery {Delivery} to endpoint {Endpoint} failed (attempt {Attempt}): {Error}", due.Id, due.Endpoint, due.Attempts + 1, error);
            return (null, error, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<List<Due>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var claim = dataSource.CreateCommand(
            $"""
            update webhook_deliveries d set next_attempt_at = $2, claimed_by = $4
            from (select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
                  where e.disabled_at is null and d.next_attempt_at is not null
                    and (d.next_attempt_at <= $1 or (d.claimed_by is not null and not {Idempotency.NodeLiveness.AliveSql("d.claimed_by")}))
                  order by d.next_attempt_at limit $3 for update of d skip locked) due,
                 webhook_endpoints e
            where d.id = due.id and e.id = d.endpoint_id
            returning d.id, d.endpoint_id, e.url, e.kek_id, e.wrapped_secret, d.payload, d.attempts, d.retry_until_attempt
            """);
        claim.Parameters.Add(new NpgsqlParameter { Value = now });
        claim.Parameters.Add(new NpgsqlParameter { Value = now + Lease });
        claim.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
        claim.Parameters.Add(new NpgsqlParameter { Value = node.Key });
        var claimed = new List<Due>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new Due(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4), reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7)));
        }

        return claimed;
    }

    private async Task MarkAsync(Due due, int? status, string? error, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempt = due.Attempts + 1;
        DateTimeOffset? next = error is null || attempt >= due.RetryUntilAttempt ? null : now + OutboxDispatcher.Backoff(attempt);
        await using var batch = dataSource.CreateBatch();
        var update = new NpgsqlBatchCommand(
            """
            update webhook_deliveries set attempts = $2, next_attempt_at = $3, last_status = $4, last_error = $5, claimed_by = null,
                   delivered_at = case when $5 is null then $6 else delivered_at end
            where id = $1
            """);
        update.Parameters.Add(new NpgsqlParameter { Value = due.Id });
        update.Parameters.Add(new NpgsqlParameter { Value = attempt });
        update.Parameters.Add(Parameters.Nullable(next, NpgsqlDbType.TimestampTz));
        update.Parameters.Add(Parameters.Nullable(status, NpgsqlDbType.Integer));
        update.Parameters.Add(Parameters.Nullable(error, NpgsqlDbType.Text));
        update.Parameters.Add(new NpgsqlParameter { Value = now });
        batch.BatchCommands.Add(update);
        var log = new NpgsqlBatchCommand("insert into webhook_attempts (delivery_id, attempt, at, status, error, milliseconds) values ($1, $2, $3, $4, $5, $6) on conflict do nothing");
        log.Parameters.Add(new NpgsqlParameter { Value = due.Id });
        log.Parameters.Add(new NpgsqlParameter { Value = attempt });
        log.Parameters.Add(new NpgsqlParameter { Value = now });
        log.Parameters.Add(Parameters.Nullable(status, NpgsqlDbType.Integer));
        log.Parameters.Add(Parameters.Nullable(error, NpgsqlDbType.Text));
        log.Parameters.Add(new NpgsqlParameter { Value = (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds) });
        batch.BatchCommands.Add(log);
        // Marked even when the caller gives up now: the endpoint was called.
        await batch.ExecuteNonQueryAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), clock);
        do
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Webhooks could not be dispatched and will retry: {Error}", e is NpgsqlException ? e.Message : OutboxDispatcher.Describe(e));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private sealed record Due(Guid Id, Guid Endpoint, string Url, string KekId, byte[] WrappedSecret, string Payload, int Attempts, int RetryUntilAttempt);
}
