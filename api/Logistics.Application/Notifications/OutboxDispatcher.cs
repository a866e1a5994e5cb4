using System.Text.Json;
using Logistics.EventStore.PersonalData;
using Npgsql;

namespace Logistics.Application.Notifications;

/// <summary>
/// Sends queued messages at least once, never inside a transaction: a batch is claimed with a lease (its rows'
/// next attempt moved past the lease, in one short statement; SKIP LOCKED, so several API nodes share the work),
/// then each message is sent and marked on its own. A slow gateway holds no transaction open (the projections read
/// up to the oldest open transaction); a crash after a send and before its mark re-sends only the messages in
/// flight, once their lease ends. A failure is retried with a growing delay (up to a day); a sent message's sealed
/// text is deleted. The log and the row say what failed (its kind, an HTTP status), never to whom or what.
/// </summary>
public sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource, PersonalDataSealer sealer, IEnumerable<INotificationSender> senders, TimeProvider clock,
    Idempotency.NodeLiveness node, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// How long a claimed batch is this node's: longer than its sends may take. A batch of a node that died is taken
    /// by another at once (its claim names the node, whose liveness lock went with it).
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private const int MaxAttempts = 12;
    private const int BatchSize = 10;
    private readonly Dictionary<Channel, INotificationSender> _senders = senders.ToDictionary(s => s.Channel);

    /// <summary>
    /// How long one message may take to send; a batch's sends together stay within the claim's lease (10 × 20 s
    /// against 5 minutes), so a silent gateway never makes two nodes send the same batch.
    /// </summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Sends what is due now; returns how many messages were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        foreach (var (id, person, channel, sealedMessage, attempts) in await ClaimAsync(cancellationToken))
        {
            string? error = null;
            var plain = sealedMessage is null ? null : sealer.Unseal(person, sealedMessage);
            if (plain is null)
            {
                error = "the recipient's personal data was erased: nothing to send";
            }
            else if (!_senders.TryGetValue(channel, out var sender))
            {
                error = $"no {channel} sender is configured";
            }
            else
            {
                using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                try
                {
                    // A gateway that stops answering (even deaf to cancellation) is left behind after the timeout.
                    await sender.SendAsync(JsonSerializer.Deserialize<Message>(plain)!, sending.Token).WaitAsync(SendTimeout, clock, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await sending.CancelAsync();
                    error = Describe(e);
                    logger.LogWarning("Sending {Channel} message {Id} failed (attempt {Attempt}): {Error}", channel, id, attempts + 1, error);
                }
            }

            await MarkAsync(id, error, attempts, cancellationToken);
            sent += error is null ? 1 : 0;
        }

        return sent;
    }

    /// <summary>What a failure was, without its message (a gateway's or a mail server's text may quote the address).</summary>
    public static string Describe(Exception e, string party = "the gateway") => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"{party} answered {(int)status}",
        HttpRequestException => $"{party} could not be reached",
        TaskCanceledException or TimeoutException => "timed out",
        _ => e.GetType().Name,
    };

    private async Task<List<(Guid Id, string Person, Channel Channel, byte[]? Sealed, int Attempts)>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var claim = dataSource.CreateCommand(
            $"""
            update notification_outbox o set next_attempt_at = $3, claimed_by = $5
            from (select id from notification_outbox
                  where sent_at is null and attempts < $2
                    and (next_attempt_at <= $1 or (claimed_by is not null and not {Idempotency.NodeLiveness.AliveSql("claimed_by")}))
                  order by next_attempt_at limit $4 for update skip locked) due
            where o.id = due.id
            returning o.id, o.person_id, o.channel, o.sealed, o.attempts
            """);
        claim.Parameters.Add(new NpgsqlParameter { Value = now });
        claim.Parameters.Add(new NpgsqlParameter { Value = MaxAttempts });
        claim.Parameters.Add(new NpgsqlParameter { Value = now + Lease });
        claim.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
        claim.Parameters.Add(new NpgsqlParameter { Value = node.Key });
        var claimed = new List<(Guid, string, Channel, byte[]?, int)>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add((reader.GetGuid(0), reader.GetString(1), Enum.Parse<Channel>(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3), reader.GetInt32(4)));
        }

        return claimed;
    }

    private async Task MarkAsync(Guid id, string? error, int attempts, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var update = dataSource.CreateCommand(
            error is null
                ? "update notification_outbox set sent_at = $2, sealed = null, attempts = attempts + 1, last_error = null, claimed_by = null where id = $1"
                : "update notification_outbox set attempts = attempts + 1, last_error = $3, next_attempt_at = $2, claimed_by = null where id = $1");
        update.Parameters.Add(new NpgsqlParameter { Value = id });
        update.Parameters.Add(new NpgsqlParameter { Value = error is null ? now : now + Backoff(attempts + 1) });
        if (error is not null)
        {
            update.Parameters.Add(new NpgsqlParameter { Value = error });
        }

        // Marked even when the caller gives up now: the message went out.
        await update.ExecuteNonQueryAsync(CancellationToken.None);
    }

    internal static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(86_400, 5 * Math.Pow(3, attempts - 1)));

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
                // The database restarting, a sender misbehaving: the next tick tries again; the host goes on.
                logger.LogWarning("The outbox could not be dispatched and will retry: {Error}", e is NpgsqlException ? e.Message : Describe(e));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
