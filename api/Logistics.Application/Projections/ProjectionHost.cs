using Logistics.EventStore.Postgres;
using Logistics.EventStore.Serialization;
using Logistics.EventStore.Subscriptions;

namespace Logistics.Application.Projections;

/// <summary>Runs every read-model projection in the background, each from its own durable checkpoint.</summary>
public sealed class ProjectionHost(PostgresEventStore store, EventSerializer serializer, ILogger<ProjectionHost> logger) : BackgroundService
{
    public IReadOnlyList<ProjectionRunner> Runners { get; } =
    [
        new(store, serializer, new ParcelsProjection()),
        new(store, serializer, new TimelineProjection()),
        new(store, serializer, new LockersProjection()),
        new(store, serializer, new DirectoryProjection()),
        new(store, serializer, new Planning.RoundsProjection()),
    ];

    /// <summary>Creates the read-model tables; called before the API serves its first request.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in Runners)
        {
            await runner.EnsureSchemaAsync(cancellationToken);
        }
    }

    /// <summary>Brings every read model up to date with what is committed now (tests, demo seeding).</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        foreach (var runner in Runners)
        {
            await runner.CatchUpAsync(cancellationToken);
        }
    }

    /// <summary>Rebuilds every read model from position 0.</summary>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        foreach (var runner in Runners)
        {
            total += await runner.RebuildAsync(cancellationToken);
        }

        return total;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Runners.Select(r => r.RunAsync(
            e => logger.LogWarning("Projection {Projection} failed a batch and will retry: {Error}", r.Projection.Name, e.Message),
            stoppingToken)));
}
