using Npgsql;

namespace Logistics.Perf.Store;

/// <summary>
/// The references' tables and function. <c>like ... including all</c> copies es_events' columns, identity, defaults
/// and indexes, so the references pay for the same index maintenance as the store.
/// </summary>
internal static class ReferenceSchema
{
    private const string Script = """
        drop table if exists ref_events;
        drop table if exists ref_streams;
        create table ref_events (like es_events including all);
        create table ref_streams (like es_streams including all);

        -- The least an append with the store's guarantees needs, in one round trip: lock the stream's row, compare
        -- its version, insert, bump the version and the stream's last transaction id (global order per stream).
        -- A new stream is a plain insert: two writers creating it at once collide on the primary key.
        create or replace function ref_append(
            p_stream text, p_expected bigint, p_id uuid, p_type text, p_schema_version int, p_data jsonb, p_metadata jsonb)
        returns bigint
        language plpgsql as $$
        declare
            v_current bigint;
            v_last_tx xid8;
            v_tx xid8;
        begin
            select version, last_tx into v_current, v_last_tx from ref_streams where stream_id = p_stream for update;
            if not found then
                if p_expected > 0 then
                    raise exception using errcode = 'LGWEV', message = format('stream %s does not exist', p_stream);
                end if;
                v_tx := pg_current_xact_id();
                insert into ref_streams (stream_id, version, last_tx) values (p_stream, 1, v_tx);
                insert into ref_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
                values (v_tx, p_stream, 1, p_id, p_type, p_schema_version, p_data, p_metadata);
                return 1;
            end if;
            if p_expected >= 0 and p_expected <> v_current then
                raise exception using errcode = 'LGWEV', message = format('stream %s is at %s', p_stream, v_current);
            end if;
            v_tx := greatest(pg_current_xact_id(), v_last_tx);
            insert into ref_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
            values (v_tx, p_stream, v_current + 1, p_id, p_type, p_schema_version, p_data, p_metadata);
            update ref_streams set version = v_current + 1, last_tx = v_tx where stream_id = p_stream;
            return v_current + 1;
        end;
        $$;
        """;

    public static async Task CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(Script + ExploreSchema.Script);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Empties the store's and the references' tables so every writer count starts from the same state.</summary>
    public static async Task TruncateAsync(NpgsqlDataSource dataSource)
    {
        // A checkpoint now rather than in the middle of the first rounds.
        foreach (var sql in new[] { "truncate es_events, es_streams, ref_events, ref_streams", "checkpoint" })
        {
            await using var command = dataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }
    }
}
