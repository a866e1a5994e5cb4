using Logistics.EventStore.Postgres;
using Npgsql;

namespace Logistics.Perf.Store;

/// <summary>Variants measured against each other in alternating rounds; ratios are taken against <see cref="References"/>.</summary>
internal sealed record VariantGroup(string Title, IReadOnlyList<AppendVariant> Variants, IReadOnlyList<string> References);

/// <summary>The store's appends and their references.</summary>
internal static class Variants
{
    public const int BatchSize = 100;

    public const string RawInsert = "raw-insert";
    public const string SqlAppend = "sql-append";
    public const string Append = "append";
    public const string RawBatch = "raw-batch";
    public const string Batch = "batch";

    internal const string RawInsertSql = """
        insert into ref_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
        values (pg_current_xact_id(), $1, $2 + 1, $3, $4, $5, $6, $7)
        """;

    internal const string SqlAppendSql = "select ref_append($1, $2, $3, $4, $5, $6, $7)";

    internal const string RawBatchSql = """
        insert into ref_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
        select pg_current_xact_id(), $1, $2 + i.n, i.id, i.t, i.sv, i.d, i.m
        from unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[]) with ordinality as i(id, t, sv, d, m, n)
        """;

    public static IReadOnlyList<VariantGroup> Groups(NpgsqlDataSource dataSource, SampleEvents samples, NpgsqlDataSource? explore)
    {
        var store = new PostgresEventStore(dataSource);
        List<AppendVariant> singles =
        [
            new SqlVariant(RawInsert, 1, dataSource, samples, RawInsertSql, arrays: false),
            new SqlVariant(SqlAppend, 1, dataSource, samples, SqlAppendSql, arrays: false),
            new StoreVariant(Append, 1, store, samples),
        ];
        List<AppendVariant> batches =
        [
            new SqlVariant(RawBatch, BatchSize, dataSource, samples, RawBatchSql, arrays: true),
            new StoreVariant(Batch, BatchSize, store, samples),
        ];
        if (explore is not null)
        {
            singles.AddRange(ExploreSchema.Singles(dataSource, explore, samples));
            batches.AddRange(ExploreSchema.Batches(dataSource, explore, samples));
        }

        return
        [
            new VariantGroup("single events", singles, [RawInsert, SqlAppend]),
            new VariantGroup($"{BatchSize}-event batches", batches, [RawBatch]),
        ];
    }
}
