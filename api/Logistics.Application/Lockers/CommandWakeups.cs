using Npgsql;

namespace Logistics.Application.Lockers;

/// <summary>
/// Hears the commands queued on any node (PostgreSQL LISTEN on <see cref="LockerDevices.CommandChannel"/>, announced
/// by the statement that queues them) and wakes this node's session of that board, so a command reaches its board at
/// once whichever node holds the board's WebSocket. One connection per node; when it is lost, the listener comes
/// back with a growing delay and wakes every session here, as announcements may have gone by meanwhile (the
/// sessions' own periodic look, <see cref="LockerDevices.CommandPoll"/>, is the last safety net).
/// </summary>
public sealed class CommandWakeups(NpgsqlDataSource dataSource, LockerDevices devices, ILogger<CommandWakeups> logger) : BackgroundService
{
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node listens (a test, or a host, may wait for it).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => devices.WakeLocal(e.Payload);
                await using (var listen = new NpgsqlCommand($"listen {LockerDevices.CommandChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening.TrySetResult();
                devices.WakeAll();
                delay = TimeSpan.FromMilliseconds(250);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Listening for commands queued on other nodes failed and will retry in {Delay}: {Error}", delay, e.Message);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, delay.Ticks * 2));
            }
        }
    }
}
