using Npgsql;

namespace Logistics.Testing;

/// <summary>
/// What a database holds, as comparable text: every table's columns and types, every index and constraint, every
/// function's definition, and every table's row count and content digest. Two snapshots are equal when applying a
/// schema again changed no object and no data.
/// </summary>
public static class SchemaSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(NpgsqlDataSource dataSource)
    {
        var lines = new List<string>();
        lines.AddRange(await ListAsync(dataSource,
            """
            select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
            from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position
            """));
        lines.AddRange(await ListAsync(dataSource, "select 'index ' || indexdef from pg_indexes where schemaname = 'public' order by indexname"));
        lines.AddRange(await ListAsync(dataSource,
            """
            select 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            from pg_constraint where connamespace = 'public'::regnamespace order by conrelid::regclass::text, conname
            """));
        lines.AddRange(await ListAsync(dataSource,
            """
            select 'function ' || p.proname || ' ' || md5(pg_get_functiondef(p.oid))
            from pg_proc p where p.pronamespace = 'public'::regnamespace order by p.proname, md5(pg_get_functiondef(p.oid))
            """));
        foreach (var table in await ListAsync(dataSource, "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1"))
        {
            lines.AddRange(await ListAsync(dataSource, $"select 'rows {table} ' || count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from \"{table}\" t"));
        }

        return lines;
    }

    private static async Task<IReadOnlyList<string>> ListAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
