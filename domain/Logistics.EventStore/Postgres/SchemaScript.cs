using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Logistics.EventStore.Postgres;

/// <summary>
/// Applies an idempotent schema script at a node's start, and only when it changed. Nodes take turns on an advisory
/// lock; a script already applied in this exact text (its SHA-256 is kept in <c>es_schema_scripts</c>) is not run
/// again, so a node starting beside nodes at work takes no table lock at all (an <c>alter table … if not exists</c>
/// or a <c>create index if not exists</c> locks its table before it looks, and a script taking table after table
/// while running nodes take them in another order met a deadlock). A script that does run is one transaction,
/// taken again when PostgreSQL picks it as a deadlock's victim.
/// </summary>
public static class SchemaScript
{
    private const int Attempts = 5;

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, string name, string script, long advisoryLock, CancellationToken cancellationToken = default)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "select pg_advisory_lock($1)", cancellationToken, advisoryLock);
        try
        {
            await ExecuteAsync(
                connection, null, "create table if not exists es_schema_scripts (name text primary key, sha256 text not null, applied_at timestamptz not null)", cancellationToken);
            await using (var applied = new NpgsqlCommand("select sha256 from es_schema_scripts where name = $1", connection))
            {
                applied.Parameters.Add(new NpgsqlParameter { Value = name });
                if (await applied.ExecuteScalarAsync(cancellationToken) is string known && known == digest)
                {
                    return;
                }
            }

            await RetryOnDeadlockAsync(
                async () =>
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await ExecuteAsync(connection, transaction, script, cancellationToken);
                    await ExecuteAsync(
                        connection,
                        transaction,
                        "insert into es_schema_scripts (name, sha256, applied_at) values ($1, $2, now()) on conflict (name) do update set sha256 = excluded.sha256, applied_at = excluded.applied_at",
                        cancellationToken,
                        name,
                        digest);
                    await transaction.CommitAsync(cancellationToken);
                },
                cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, null, "select pg_advisory_unlock($1)", CancellationToken.None, advisoryLock);
        }
    }

    /// <summary>An embedded script's text (<paramref name="resource"/> in <paramref name="assembly"/>).</summary>
    public static string Embedded(System.Reflection.Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The schema script {resource} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Runs <paramref name="transaction"/> (a whole transaction, rolled back when it fails) again when PostgreSQL picks it
    /// as a deadlock's victim, a few times, after short jittered pauses: schema statements at a node's start may meet
    /// the tables' locks of nodes at work.
    /// </summary>
    internal static async Task RetryOnDeadlockAsync(Func<Task> transaction, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transaction();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(50, 250) * attempt), cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
