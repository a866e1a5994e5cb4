using Npgsql;

namespace Logistics.Application.Lockers;

/// <summary>
/// The open board sessions, each beating every <see cref="BeatEvery"/> (database time, so every node agrees). A locker
/// is shown online only while one of its sessions beat within <see cref="Fresh"/>: a session that loses its database
/// ends, and cannot report its board offline, but stops beating.
/// </summary>
public sealed class LockerSessions(NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    /// <summary>The condition, on <c>rm_lockers l</c>, that one of its sessions is alive.</summary>
    public const string AliveSql = "exists (select 1 from locker_sessions s where s.locker_id = l.locker_id and s.heartbeat_at > now() - interval '60 seconds')";

    public async Task BeginAsync(Guid session, string locker, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("insert into locker_sessions (session_id, locker_id, started_at, heartbeat_at) values ($1, $2, now(), now())");
        command.Parameters.Add(new NpgsqlParameter { Value = session });
        command.Parameters.Add(new NpgsqlParameter { Value = locker });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task BeatAsync(Guid session, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("update locker_sessions set heartbeat_at = now() where session_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = session });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task EndAsync(Guid session, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from locker_sessions where session_id = $1 or heartbeat_at < now() - interval '1 day'");
        command.Parameters.Add(new NpgsqlParameter { Value = session });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
