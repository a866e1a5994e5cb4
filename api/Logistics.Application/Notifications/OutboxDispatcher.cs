using System.Text.Json;
using Logistics.EventStore.PersonalData;
using Npgsql;

namespace Logistics.Application.Notifications;

/// <summary>
/// Sends queued messages at least once: a message is marked sent only after its sender returned, and a failure is
/// retried with a growing delay (up to a day). Rows are claimed with SKIP LOCKED, so several API nodes share the
/// work without sending a message twice in the normal case. A sent message's sealed text is deleted.
/// </summary>
public sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource, PersonalDataSealer sealer, IEnumerable<INotificationSender> senders, TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int MaxAttempts = 12;
    private readonly Dictionary<Channel, INotificationSender> _senders = senders.ToDictionary(s => s.Channel);

    /// <summary>Sends what is due now; returns how many messages were sent.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var due = new List<(Guid Id, string Person, Channel Channel, byte[]? Sealed, int Attempts)>();
        await using (var select = new NpgsqlCommand(
            """
            select id, person_id, channel, sealed, attempts from notification_outbox
            where sent_at is null and next_attempt_at <= $1 and attempts < $2
            order by next_attempt_at limit 50 for update skip locked
            """,
            connection,
            transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = now });
            select.Parameters.Add(new NpgsqlParameter { Value = MaxAttempts });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetGuid(0), reader.GetString(1), Enum.Parse<Channel>(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3), reader.GetInt32(4)));
            }
        }

        foreach (var (id, person, channel, sealedMessage, attempts) in due)
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
                try
                {
                    await sender.SendAsync(JsonSerializer.Deserialize<Message>(plain)!, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    error = e.Message;
                    logger.LogWarning("Sending {Channel} message {Id} failed (attempt {Attempt}): {Error}", channel, id, attempts + 1, e.Message);
                }
            }

            await using var update = new NpgsqlCommand(
                error is null
                    ? "update notification_outbox set sent_at = $2, sealed = null, attempts = attempts + 1, last_error = null where id = $1"
                    : "update notification_outbox set attempts = attempts + 1, last_error = $3, next_attempt_at = $2 where id = $1",
                connection,
                transaction);
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            update.Parameters.Add(new NpgsqlParameter { Value = error is null ? now : now + Backoff(attempts + 1) });
            if (error is not null)
            {
                update.Parameters.Add(new NpgsqlParameter { Value = error });
            }

            await update.ExecuteNonQueryAsync(cancellationToken);
            sent += error is null ? 1 : 0;
        }

        await transaction.CommitAsync(cancellationToken);
        return sent;
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
            catch (NpgsqlException e)
            {
                logger.LogWarning("The outbox could not be read: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
