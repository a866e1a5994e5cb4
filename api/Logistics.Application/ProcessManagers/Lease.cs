using Npgsql;

namespace Logistics.Application.ProcessManagers;

/// <summary>
/// Background work that must run on one node at a time holds a lease: a PostgreSQL session advisory lock on a
/// connection of its own, idle between checks (so no transaction is held open). The lock goes with the session: a
/// node that dies (or loses its connection) gives the lease up at once, and another node's next try takes it.
/// </summary>
public sealed class Lease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private Lease(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>The lease, or null when another session holds it.</summary>
    public static async Task<Lease?> TryAcquireAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new Lease(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Waits for the lease (tests and one-off work that must not run beside the background).</summary>
    public static async Task<Lease> AcquireAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new Lease(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether the session that holds the lock is still alive.</summary>
    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("select 1", _connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_unlock($1)", _connection);
            command.Parameters.Add(new NpgsqlParameter { Value = _key });
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and the lock with it.
        }

        await _connection.DisposeAsync();
    }
}
