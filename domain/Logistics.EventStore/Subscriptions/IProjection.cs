using Npgsql;

namespace Logistics.EventStore.Subscriptions;

/// <summary>An event with its decoded domain object.</summary>
public sealed record EventEnvelope(RecordedEvent Recorded, object Event);

/// <summary>A connection and the transaction that also moves the projection's checkpoint.</summary>
public sealed record ProjectionContext(NpgsqlConnection Connection, NpgsqlTransaction Transaction)
{
    public NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, Connection, Transaction);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value });
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// A read model kept in PostgreSQL tables. Its updates commit in the same transaction as its checkpoint, so after
/// a crash it resumes exactly where its tables are. Its SQL names its tables unqualified: a rebuild runs the same
/// <see cref="EnsureSchemaAsync"/> and <see cref="ApplyAsync"/> with a shadow schema first in the search path.
/// Implement <see cref="IBulkProjection"/> too for fast rebuilds.
/// </summary>
public interface IProjection
{
    /// <summary>A stable name: the checkpoint's key.</summary>
    string Name { get; }

    /// <summary>Creates its tables if missing (idempotent).</summary>
    Task EnsureSchemaAsync(ProjectionContext context, CancellationToken cancellationToken);

    /// <summary>Applies a batch of events in global order.</summary>
    Task ApplyAsync(ProjectionContext context, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);

    /// <summary>
    /// Empties its tables. A rebuild no longer calls it (it fills fresh shadow tables and swaps them in); kept for
    /// callers that empty a read model in place.
    /// </summary>
    Task ResetAsync(ProjectionContext context, CancellationToken cancellationToken);
}
