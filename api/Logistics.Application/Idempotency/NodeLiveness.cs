using System.Security.Cryptography;
using Npgsql;

namespace Logistics.Application.Idempotency;

/// <summary>
/// This node's sign of life in PostgreSQL: a session advisory lock on <see cref="Key"/>, held on a connection of its
/// own for as long as the node runs. A node killed (or cut from the database) loses its sessions and so the lock at
/// once, which other nodes see in <c>pg_locks</c>: a request claimed by a dead node (an Idempotency-Key whose answer
/// will never come) is taken over by the retry at once, instead of answering "in progress" until the claim is stale.
/// </summary>
public sealed class NodeLiveness(NpgsqlDataSource dataSource, ILogger<NodeLiveness> logger) : BackgroundService
{
    /// <summary>
    /// The condition that the node whose key is in <paramref name="column"/> is alive (its lock is held). A key of 64
    /// bits is held as two 32-bit halves in <c>pg_locks</c> (classid, objid; objsubid 1).
    /// </summary>
    public static string AliveSql(string column) =>
        $"exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.objsubid = 1 and l.granted and ((l.classid::bigint << 32) | l.objid::bigint) = {column})";

    private NpgsqlConnection? _connection;

    /// <summary>A random positive key of 62 bits: no two nodes pick the same.</summary>
    public long Key { get; } = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & 0x3FFF_FFFF_FFFF_FFFF;

    /// <summary>Takes the lock before the node serves; the background loop takes it again if its connection is lost.</summary>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_lock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = Key });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        var previous = Interlocked.Exchange(ref _connection, connection);
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (_connection is { } held)
                {
                    await using var check = new NpgsqlCommand("select 1", held);
                    await check.ExecuteScalarAsync(stoppingToken);
                }
                else
                {
                    await HoldAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("This node's liveness lock was lost and is taken again: {Error}", e.Message);
                var lost = Interlocked.Exchange(ref _connection, null);
                if (lost is not null)
                {
                    await lost.DisposeAsync();
                }
            }
        }
    }

    /// <summary>A node stopping answers nothing more: its lock is given up (a pooled connection would keep it), so its claims are taken over.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Interlocked.Exchange(ref _connection, null) is { } held)
        {
            try
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", held);
                unlock.Parameters.Add(new NpgsqlParameter { Value = Key });
                await unlock.ExecuteScalarAsync(cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone, and the lock with it.
            }

            await held.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        Interlocked.Exchange(ref _connection, null)?.Dispose();
        base.Dispose();
    }
}
