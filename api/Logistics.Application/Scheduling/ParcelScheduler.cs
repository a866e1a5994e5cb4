using Logistics.Application.Idempotency;
using Logistics.Application.Parcels;
using Logistics.Application.ProcessManagers;
using Logistics.Application.ReadSide;
using Logistics.Application.Streams;
using Logistics.Domain;
using Npgsql;

namespace Logistics.Application.Scheduling;

/// <summary>
/// Time-driven work from the injected clock (tests drive it): reminders before the deadline, expiry after it.
/// Each is a command on the parcel's stream, so running twice, or on two nodes, does it once. A parcel whose work
/// fails is tried again at the next tick; the others go on, and so does the host.
/// </summary>
public sealed class ParcelScheduler(
    ParcelQueries parcels, ParcelActions actions, IdempotencyStore idempotency, FaultInjection faults, TimeProvider clock, ILogger<ParcelScheduler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Does what is due at the clock's current time; returns how many parcels it acted on.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var due = await parcels.DueAsync(clock.GetUtcNow(), cancellationToken);
        var done = 0;
        foreach (var (parcel, work) in due)
        {
            var context = new CommandContext(Actor.System);
            try
            {
                faults.At(FaultInjection.SchedulerBeforeParcel);
                if (work == DueWork.Expire)
                {
                    await actions.ExpireAsync(parcel, context, cancellationToken);
                }
                else
                {
                    await actions.RemindAsync(parcel, context, cancellationToken);
                }

                done++;
            }
            catch (DomainRuleViolation e)
            {
                // The read model lagged behind the stream (collected meanwhile): nothing to do.
                logger.LogDebug("Skipped {Kind} of parcel {Parcel}: {Reason}", work, parcel, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not NpgsqlException)
            {
                // This parcel's work is tried again at the next tick; the other parcels go on.
                logger.LogWarning("The {Kind} of parcel {Parcel} failed and will be tried again: {Error}", work, parcel, e.GetType().Name);
            }
        }

        return done;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        var purgedAt = DateTimeOffset.MinValue;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunDueAsync(stoppingToken);
                if (clock.GetUtcNow() - purgedAt > TimeSpan.FromHours(1))
                {
                    await idempotency.PurgeAsync(clock.GetUtcNow(), stoppingToken);
                    purgedAt = clock.GetUtcNow();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database away, or a bug: the next tick tries again; the host goes on.
                logger.LogWarning("Time-driven work failed and will retry: {Error}", e is NpgsqlException ? e.Message : e.GetType().Name);
            }
        }
    }
}
