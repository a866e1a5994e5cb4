using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>Runs one read-side query with positional parameters; only the named queries of this folder use it.</summary>
internal sealed class Sql(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async Task<T?> FirstAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object?[] parameters)
        where T : class =>
        await ListAsync(sql, map, cancellationToken, parameters) is [var first, ..] ? first : null;

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object?[] parameters)
        where T : struct =>
        await ListAsync(sql, r => r.IsDBNull(0) ? (T?)null : r.GetFieldValue<T>(0), cancellationToken, parameters) is [var first, ..] ? first : null;

    public async Task<string?> TextAsync(string sql, CancellationToken cancellationToken, params object?[] parameters) =>
        await ListAsync(sql, r => r.IsDBNull(0) ? null : r.GetString(0), cancellationToken, parameters) is [var first, ..] ? first : null;
}
