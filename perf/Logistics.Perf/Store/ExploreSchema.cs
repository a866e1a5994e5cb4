using Logistics.EventStore.Postgres;
using Npgsql;

namespace Logistics.Perf.Store;

/// <summary>
/// Extra variants run with <c>--explore</c>, each changing one thing, to find where the store's append loses time
/// against the one-call SQL reference. All take es_append's parameters and return its rows.
/// </summary>
internal static class ExploreSchema
{
    /// <summary>es_append as shipped, copied onto the reference tables, then leaner versions of it.</summary>
    public static string Script { get; } =
        CopyOfEsAppend()
        + Template("x_no_probe", singleRow: false, fastCreate: false)
        + Template("x_single", singleRow: true, fastCreate: false)
        + Template("x_lean", singleRow: true, fastCreate: true);

    /// <summary>Single-event variants; <paramref name="unprepared"/> is a data source that prepares no statement.</summary>
    public static IEnumerable<AppendVariant> Singles(NpgsqlDataSource dataSource, NpgsqlDataSource unprepared, SampleEvents samples) =>
        For(1, dataSource, samples).Concat(
        [
            new StoreVariant("x-append-unprepared", 1, new PostgresEventStore(unprepared), samples),
            new SqlVariant("x-sql-append-unprepared", 1, unprepared, samples, Variants.SqlAppendSql, arrays: false),
            new SqlVariant("x-raw-insert-unprepared", 1, unprepared, samples, Variants.RawInsertSql, arrays: false),
        ]);

    public static IEnumerable<AppendVariant> Batches(NpgsqlDataSource dataSource, NpgsqlDataSource unprepared, SampleEvents samples) =>
        For(Variants.BatchSize, dataSource, samples).Concat(
        [
            new StoreVariant("x-batch-unprepared", Variants.BatchSize, new PostgresEventStore(unprepared), samples),
            new SqlVariant("x-raw-batch-unprepared", Variants.BatchSize, unprepared, samples, Variants.RawBatchSql, arrays: true),
        ]);

    private static IEnumerable<AppendVariant> For(int events, NpgsqlDataSource dataSource, SampleEvents samples)
    {
        var prefix = events == 1 ? "x-" : "x-batch-";
        // es_append itself, given already serialised metadata: the difference to "append" is the C# side's cost.
        yield return new SqlVariant(prefix + "es_append-sql", events, dataSource, samples, Call("es_append"), arrays: true);
        // Its copy on the reference tables: the difference to the above is the tables (should be none).
        yield return new SqlVariant(prefix + "copy", events, dataSource, samples, Call("x_copy"), arrays: true);
        yield return new SqlVariant(prefix + "no-probe", events, dataSource, samples, Call("x_no_probe"), arrays: true);
        if (events == 1)
        {
            yield return new SqlVariant(prefix + "single-row", events, dataSource, samples, Call("x_single"), arrays: true);
        }

        yield return new SqlVariant(prefix + "lean", events, dataSource, samples, Call("x_lean"), arrays: true);
    }

    private static string Call(string function) => $"select o_version, o_tx, o_seq, o_duplicate from {function}($1, $2, $3, $4, $5, $6, $7)";

    private static string CopyOfEsAppend()
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream("Logistics.EventStore.Schema.sql")
            ?? throw new InvalidOperationException("The event store's schema script is missing.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd();
        var start = script.IndexOf("create or replace function es_append(", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException("es_append was not found in the store's schema script.");
        }

        return "\n" + script[start..]
            .Replace("es_append(", "x_copy(", StringComparison.Ordinal)
            .Replace("es_events", "ref_events", StringComparison.Ordinal)
            .Replace("es_streams", "ref_streams", StringComparison.Ordinal) + "\n";
    }

    /// <summary>
    /// es_append with its idempotency probe moved off the happy path: a retry of a committed append always finds the
    /// stream moved on (its first try bumped the version), so the probe is needed only when the version does not match
    /// or none was expected. <paramref name="singleRow"/> inserts a single event with VALUES instead of unnest, ordinality
    /// and a sort. <paramref name="fastCreate"/> creates a new stream with one plain insert (a concurrent creator fails
    /// on the primary key) instead of select, insert on conflict, select.
    /// </summary>
    private static string Template(string name, bool singleRow, bool fastCreate)
    {
        var lookUp = fastCreate
            ? "v_current := 0; v_last_tx := null;"
            : """
              insert into ref_streams (stream_id, version, last_tx) values (p_stream, 0, '0'::xid8) on conflict (stream_id) do nothing;
              select s.version, s.last_tx into v_current, v_last_tx from ref_streams s where s.stream_id = p_stream for update;
              """;
        var bump = fastCreate
            ? """
              if v_last_tx is null then
                  insert into ref_streams (stream_id, version, last_tx) values (p_stream, v_count, v_tx);
              else
                  update ref_streams set version = v_current + v_count, last_tx = v_tx where stream_id = p_stream;
              end if;
              """
            : "update ref_streams set version = v_current + v_count, last_tx = v_tx where stream_id = p_stream;";
        var single = singleRow
            ? """
              if v_count = 1 then
                  insert into ref_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
                  values (v_tx, p_stream, v_current + 1, p_ids[1], p_types[1], p_schema_versions[1], p_data[1], p_metadata[1])
                  returning version, tx_id, seq, false into o_version, o_tx, o_seq, o_duplicate;
                  return next;
                  return;
              end if;
              """
            : "";
        return $$"""

            create or replace function {{name}}(
                p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_schema_versions int[],
                p_data jsonb[], p_metadata jsonb[])
            returns table (o_version bigint, o_tx xid8, o_seq bigint, o_duplicate boolean)
            language plpgsql as $$
            declare
                v_current bigint;
                v_last_tx xid8;
                v_tx xid8;
                v_count int := cardinality(p_ids);
                v_dup_stream text;
            begin
                select s.version, s.last_tx into v_current, v_last_tx
                from ref_streams s where s.stream_id = p_stream for update;
                if not found then
                    {{lookUp}}
                end if;

                if p_expected < 0 or p_expected <> v_current then
                    select e.stream_id into v_dup_stream from ref_events e where e.event_id = p_ids[1];
                    if found then
                        if v_dup_stream <> p_stream then
                            raise exception using errcode = 'LGDUP', message = format('event id %s is in stream %s', p_ids[1], v_dup_stream);
                        end if;
                        return query
                            select e.version, e.tx_id, e.seq, true
                            from unnest(p_ids) with ordinality as i(id, n)
                            join ref_events e on e.event_id = i.id
                            order by i.n;
                        return;
                    end if;
                    if p_expected >= 0 then
                        raise exception using errcode = 'LGWEV',
                            message = format('stream %s is at version %s, not %s', p_stream, v_current, p_expected),
                            hint = v_current::text;
                    end if;
                end if;

                v_tx := greatest(pg_current_xact_id(), v_last_tx);
                {{bump}}
                {{single}}
                return query
                insert into ref_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
                select v_tx, p_stream, v_current + i.n, i.id, i.t, i.sv, i.d, i.m
                from unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata) with ordinality as i(id, t, sv, d, m, n)
                order by i.n
                returning version, tx_id, seq, false;
            end;
            $$;

            """;
    }
}
