using Logistics.Application.Schema;
using Logistics.Domain;
using Npgsql;

namespace Logistics.Application.Parcels;

/// <summary>
/// Wrong pickup codes as they happen, typed online or at a locker's keypad: what the throttles count. An online
/// attempt runs inside an <see cref="Attempt"/>: its parcel and its client are locked for the attempt (advisory
/// locks of its transaction), so parallel requests cannot race a count past its limit.
/// </summary>
public sealed class CodeFailures(NpgsqlDataSource dataSource)
{
    /// <summary>Wrong codes a client may type in an hour, across every parcel.</summary>
    public const int MaxPerClientPerHour = 10;

    /// <summary>Wrong codes at one locker in an hour past which a client who already failed there waits; others may still try.</summary>
    public const int MaxPerLockerPerHour = 20;

    /// <summary>Begins an online attempt on a parcel's code by a client: the counts are read under the attempt's locks.</summary>
    public async Task<Attempt> BeginAsync(ParcelId parcel, LockerId? locker, string client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockBoth = new NpgsqlCommand(
                "select pg_advisory_xact_lock(hashtextextended('code-parcel:' || $1, 0)), pg_advisory_xact_lock(hashtextextended('code-client:' || $2, 0))",
                connection,
                transaction))
            {
                lockBoth.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
                lockBoth.Parameters.Add(new NpgsqlParameter { Value = client });
                await lockBoth.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var counts = new NpgsqlCommand(
                """
                select count(*) filter (where client = $1),
                       count(*) filter (where locker_id = $2),
                       count(*) filter (where locker_id = $2 and client = $1)
                from pickup_code_failures where at > $3 and (client = $1 or locker_id = $2)
                """,
                connection,
                transaction);
            counts.Parameters.Add(new NpgsqlParameter { Value = client });
            counts.Parameters.Add(Parameters.Nullable(locker?.Value, NpgsqlTypes.NpgsqlDbType.Text));
            counts.Parameters.Add(new NpgsqlParameter { Value = now - TimeSpan.FromHours(1) });
            await using var reader = await counts.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var byClient = reader.GetInt64(0);
            var atLocker = reader.GetInt64(1);
            var byClientAtLocker = reader.GetInt64(2);
            await reader.CloseAsync();
            return new Attempt(connection, transaction, parcel, locker, client, byClient, atLocker, byClientAtLocker);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A wrong code typed at a locker's keypad (the board throttles the keypad itself), recorded in the transaction
    /// that stores the board's events.
    /// </summary>
    public static async Task RecordAtKeypadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LockerId locker, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("insert into pickup_code_failures (locker_id, parcel_id, at) values ($1, '(keypad)', $2)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = locker.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One online attempt, holding its locks until it is disposed (committed when a failure was recorded).</summary>
    public sealed class Attempt(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ParcelId parcel, LockerId? locker, string client, long byClient, long atLocker, long byClientAtLocker)
        : IAsyncDisposable
    {
        /// <summary>This client typed too many wrong codes lately (anywhere), or the locker is under attack and this client took part.</summary>
        public bool Throttled => byClient >= MaxPerClientPerHour || (atLocker >= MaxPerLockerPerHour && byClientAtLocker > 0);

        public async Task RecordFailureAsync(DateTimeOffset at, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(
                "insert into pickup_code_failures (locker_id, parcel_id, client, at) values ($1, $2, $3, $4)", connection, transaction);
            command.Parameters.Add(Parameters.Nullable(locker?.Value, NpgsqlTypes.NpgsqlDbType.Text));
            command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = client });
            command.Parameters.Add(new NpgsqlParameter { Value = at });
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
