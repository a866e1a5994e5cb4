using Npgsql;
using NpgsqlTypes;

namespace Logistics.EventStore.Subscriptions;

/// <summary>Binary COPY writes for builders: nulls for absent values, times as UTC (what Npgsql writes to timestamptz).</summary>
public static class BulkCopy
{
    /// <summary>Starts a binary COPY into <paramref name="table"/> (resolved through the connection's search path).</summary>
    public static Task<NpgsqlBinaryImporter> BeginAsync(
        NpgsqlConnection connection, string table, string columns, CancellationToken cancellationToken) =>
        connection.BeginBinaryImportAsync($"copy {table} ({columns}) from stdin (format binary)", cancellationToken);

    public static void Text(this NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    public static void Int(this NpgsqlBinaryImporter copy, int? value)
    {
        if (value is { } v)
        {
            copy.Write(v, NpgsqlDbType.Integer);
        }
        else
        {
            copy.WriteNull();
        }
    }

    public static void Long(this NpgsqlBinaryImporter copy, long value) => copy.Write(value, NpgsqlDbType.Bigint);

    public static void Bool(this NpgsqlBinaryImporter copy, bool value) => copy.Write(value, NpgsqlDbType.Boolean);

    public static void Double(this NpgsqlBinaryImporter copy, double? value)
    {
        if (value is { } v)
        {
            copy.Write(v, NpgsqlDbType.Double);
        }
        else
        {
            copy.WriteNull();
        }
    }

    public static void Time(this NpgsqlBinaryImporter copy, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            copy.Write(v.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        }
        else
        {
            copy.WriteNull();
        }
    }
}
