using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>Whether the database answers (the health check).</summary>
public sealed class DatabaseHealth(NpgsqlDataSource dataSource, ILogger<DatabaseHealth> logger)
{
    public async Task<bool> ReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The reason goes to the log, not to whoever asks.
            logger.LogWarning("Health check: the database does not answer: {Error}", e.Message);
            return false;
        }
    }
}
