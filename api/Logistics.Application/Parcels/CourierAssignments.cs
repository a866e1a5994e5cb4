using Logistics.Domain;
using Npgsql;

namespace Logistics.Application.Parcels;

/// <summary>
/// An operator's explicit "this courier takes that parcel out of its locker" (a parcel dropped or expired that no
/// round holds yet, or a courier standing in for another): beside the planned rounds, the only way a courier may
/// have a locker opened for a parcel that is not on board.
/// </summary>
public sealed class CourierAssignments(NpgsqlDataSource dataSource)
{
    public async Task AssignAsync(ParcelId parcel, CourierId courier, string assignedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            insert into parcel_assignments (parcel_id, courier_id, assigned_by, assigned_at) values ($1, $2, $3, $4)
            on conflict (parcel_id) do update set courier_id = excluded.courier_id, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = courier.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = assignedBy });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> IsAssignedAsync(ParcelId parcel, CourierId courier, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select 1 from parcel_assignments where parcel_id = $1 and courier_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = courier.Value });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
