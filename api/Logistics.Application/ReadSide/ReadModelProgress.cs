using Npgsql;

namespace Logistics.Application.ReadSide;

/// <summary>Where each read model stands in the global log: pages are told which ones moved on.</summary>
public sealed class ReadModelProgress(NpgsqlDataSource dataSource)
{
    private readonly Sql _sql = new(dataSource);

    /// <summary>Each projection's checkpoint, as an opaque position (process managers' checkpoints are not read models).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CheckpointsAsync(CancellationToken cancellationToken) =>
        (await _sql.ListAsync(
            "select name, tx_id::text || ':' || seq::text from es_checkpoints where name not like 'pm:%'",
            r => (r.GetString(0), r.GetString(1)),
            cancellationToken)).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
}
