using Npgsql;
using NpgsqlTypes;

namespace Logistics.Application.Schema;

/// <summary>Statement parameters that may be null: typed, so PostgreSQL knows what a null stands for.</summary>
internal static class Parameters
{
    public static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
