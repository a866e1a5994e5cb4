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
        new(store, serializer, new HomeBoxes.HomeBoxesProjection()),
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

    /// <summary>
    /// Rebuilds every read model from position 0, all at once from one read of the log, into shadow tables swapped in
    /// at the end (readers see the old models until then). Returns how many events were read.
    /// </summary>
    public async Task<long> RebuildAsync(ProjectionRebuildOptions? options = null, CancellationToken cancellationToken = default) =>
        (await new ProjectionRebuild(store, serializer, [.. Runners.Select(r => r.Projection)], options).RunAsync(cancellationToken)).Events;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Runners.Select(r => r.RunAsync(
            e => logger.LogWarning("Projection {Projection} failed a batch and will retry: {Error}", r.Projection.Name, e.Message),
            stoppingToken)));
}
