using Npgsql;

namespace Logistics.EventStore.Subscriptions;

/// <summary>
/// A projection that can also be rebuilt in bulk. A rebuild (see <see cref="ProjectionRebuild"/>) feeds a fresh
/// <see cref="IProjectionBuilder"/> the whole log in large batches; it keeps the read model in memory (or streams
/// append-only rows) and writes it with binary COPY into empty shadow tables, which are swapped in at the end. The
/// live path (<see cref="IProjection.ApplyAsync"/>) stays what it is; a rebuilt model must equal the live one.
/// </summary>
public interface IBulkProjection : IProjection
{
    /// <summary>Whether it reads events of this class: the others are not even decoded for its rebuild.</summary>
    bool Reads(Type eventClass);

    /// <summary>A builder for one rebuild from position 0.</summary>
    IProjectionBuilder StartRebuild();
}

/// <summary>One bulk rebuild's state. Its connection's search path names the shadow tables first.</summary>
public interface IProjectionBuilder
{
    /// <summary>Applies a batch of the events it reads, in global order.</summary>
    ValueTask ApplyAsync(NpgsqlConnection connection, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);

    /// <summary>Writes what it holds into its (empty, unindexed) tables once the log is read.</summary>
    Task CompleteAsync(NpgsqlConnection connection, CancellationToken cancellationToken);
}
