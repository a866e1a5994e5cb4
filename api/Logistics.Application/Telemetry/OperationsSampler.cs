using System.Diagnostics.Metrics;
using Npgsql;

namespace Logistics.Application.Telemetry;

/// <summary>
/// The figures an operator watches that live in the database, read every few seconds on every node (so any node's
/// <c>/metrics</c> shows the whole deployment): each projection's lag (events behind the head of the log, and the age
/// of the oldest one not yet applied), the notification outbox and webhook backlogs with their oldest age, boards
/// online, door commands waiting for a board's result with their oldest age, and wrong codes per locker in the last
/// hour. Gauges report the last reading; a failed reading leaves the previous one and is logged once per failure run.
/// </summary>
public sealed class OperationsSampler : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<OperationsSampler> _logger;
    private volatile Snapshot _last = Snapshot.Empty;
    private bool _failing;

    public OperationsSampler(NpgsqlDataSource dataSource, ILogger<OperationsSampler> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        var meter = AppTelemetry.Meter;
        meter.CreateObservableGauge("logistics.projection.lag.events", () => _last.Projections.Select(p => new Measurement<long>(p.Behind, Tag("projection", p.Name))), "{event}", "Events appended after a read model's checkpoint (the head's sequence number less the checkpoint's: an estimate read from the index, where rolled-back appends' gaps count too).");
        meter.CreateObservableGauge("logistics.projection.lag", () => _last.Projections.Select(p => new Measurement<double>(p.OldestAge, Tag("projection", p.Name))), "s", "Age of the oldest event a read model has not applied yet (0 when up to date).");
        meter.CreateObservableGauge<long>("logistics.outbox.pending", () => [new Measurement<long>(_last.OutboxPending, Tag("queue", "notifications")), new Measurement<long>(_last.WebhooksPending, Tag("queue", "webhooks"))], "{message}", "Messages waiting to be sent (SMS and e-mail; webhooks).");
        meter.CreateObservableGauge<double>("logistics.outbox.oldest", () => [new Measurement<double>(_last.OutboxOldest, Tag("queue", "notifications")), new Measurement<double>(_last.WebhooksOldest, Tag("queue", "webhooks"))], "s", "Age of the oldest message waiting to be sent.");
        meter.CreateObservableGauge("logistics.boards.online", () => _last.BoardsOnline, "{board}", "Lockers with a board whose session beat within the last minute, on any node.");
        meter.CreateObservableGauge("logistics.door_commands.pending", () => _last.CommandsPending, "{command}", "Commands queued for boards without a result yet (not expired).");
        meter.CreateObservableGauge("logistics.door_commands.oldest", () => _last.CommandsOldest, "s", "Age of the oldest command waiting for its board's result.");
        meter.CreateObservableGauge("logistics.codes.wrong", () => _last.WrongCodes.Select(w => new Measurement<long>(w.Count, Tag("locker", w.Locker))), "{code}", "Wrong pickup codes per locker in the last hour (online and at the keypad).");
    }

    /// <summary>Reads the figures now (the background loop does every <see cref="Every"/>).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var projections = new List<ProjectionLag>();
        await using (var command = new NpgsqlCommand(
            """
            select c.name,
                   greatest(0, coalesce((select e.seq from es_events e order by e.tx_id desc, e.seq desc limit 1), 0) - c.seq),
                   coalesce(extract(epoch from now() - (select e.recorded_at from es_events e where (e.tx_id, e.seq) > (c.tx_id, c.seq) order by e.tx_id, e.seq limit 1)), 0)::float8
            from es_checkpoints c
            order by c.name
            """,
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                projections.Add(new ProjectionLag(reader.GetString(0), reader.GetInt64(1), Math.Max(0, reader.GetDouble(2))));
            }
        }

        var wrong = new List<WrongCodes>();
        await using (var command = new NpgsqlCommand(
            "select locker_id, count(*) from pickup_code_failures where at > now() - interval '1 hour' and locker_id is not null group by locker_id order by locker_id",
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                wrong.Add(new WrongCodes(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        await using var figures = new NpgsqlCommand(
            """
            select (select count(*) from notification_outbox where sent_at is null),
                   coalesce(extract(epoch from now() - (select min(created_at) from notification_outbox where sent_at is null)), 0)::float8,
                   (select count(*) from webhook_deliveries where next_attempt_at is not null),
                   coalesce(extract(epoch from now() - (select min(created_at) from webhook_deliveries where next_attempt_at is not null)), 0)::float8,
                   (select count(distinct locker_id) from locker_sessions where heartbeat_at > now() - interval '60 seconds'),
                   (select count(*) from locker_commands where result_at is null and expires_at > now()),
                   coalesce(extract(epoch from now() - (select min(created_at) from locker_commands where result_at is null and expires_at > now())), 0)::float8
            """,
            connection);
        await using (var reader = await figures.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            _last = new Snapshot(
                projections,
                reader.GetInt64(0),
                Math.Max(0, reader.GetDouble(1)),
                reader.GetInt64(2),
                Math.Max(0, reader.GetDouble(3)),
                reader.GetInt64(4),
                reader.GetInt64(5),
                Math.Max(0, reader.GetDouble(6)),
                wrong);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
                _failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (!_failing)
                {
                    _logger.LogWarning("The operations figures could not be read; the metrics keep their last values: {Error}", e.Message);
                }

                _failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    private sealed record ProjectionLag(string Name, long Behind, double OldestAge);

    private sealed record WrongCodes(string Locker, long Count);

    private sealed record Snapshot(
        IReadOnlyList<ProjectionLag> Projections,
        long OutboxPending,
        double OutboxOldest,
        long WebhooksPending,
        double WebhooksOldest,
        long BoardsOnline,
        long CommandsPending,
        double CommandsOldest,
        IReadOnlyList<WrongCodes> WrongCodes)
    {
        public static readonly Snapshot Empty = new([], 0, 0, 0, 0, 0, 0, 0, []);
    }
}
