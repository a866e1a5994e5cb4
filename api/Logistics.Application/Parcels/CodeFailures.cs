using Logistics.Domain;
using Npgsql;

namespace Logistics.Application.Parcels;

/// <summary>Wrong pickup codes as they happen, typed online or at a locker's keypad: what the throttles count.</summary>
public sealed class CodeFailures(NpgsqlDataSource dataSource)
{
    /// <summary>Wrong codes since <paramref name="since"/> at the parcel's locker if it has one, else for the parcel.</summary>
    public async Task<long> CountSinceAsync(LockerId? locker, ParcelId parcel, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = locker is { } l
            ? dataSource.CreateCommand("select count(*) from pickup_code_failures where locker_id = $1 and at > $2")
            : dataSource.CreateCommand("select count(*) from pickup_code_failures where parcel_id = $1 and at > $2");
        command.Parameters.Add(new NpgsqlParameter { Value = locker is { } id ? id.Value : parcel.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task RecordAsync(LockerId? locker, ParcelId parcel, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("insert into pickup_code_failures (locker_id, parcel_id, at) values ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)locker?.Value ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
