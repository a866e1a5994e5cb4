-- The event store's schema. Idempotent: run at every start.
create table if not exists es_streams (
    stream_id text primary key,
    version bigint not null,
    -- The ordering transaction id of the stream's last append: later appends never write a smaller one,
    -- so a stream's events stay in order in the global log.
    last_tx xid8 not null
);

create table if not exists es_events (
    seq bigint generated always as identity,
    tx_id xid8 not null,
    stream_id text not null,
    version bigint not null,
    event_id uuid not null,
    event_type text not null,
    schema_version int not null,
    data jsonb not null,
    metadata jsonb not null,
    recorded_at timestamptz not null default now(),
    primary key (stream_id, version)
);

create unique index if not exists es_events_event_id on es_events (event_id);
create index if not exists es_events_global_order on es_events (tx_id, seq);

create table if not exists es_checkpoints (
    name text primary key,
    tx_id xid8 not null,
    seq bigint not null,
    updated_at timestamptz not null default now()
);

create table if not exists es_personal_keys (
    person_id text primary key,
    key bytea,
    created_at timestamptz not null default now(),
    erased_at timestamptz
);

-- Keys are wrapped by a key-encryption key from configuration; kek_id names which (null: written before wrapping,
-- wrapped at the next start).
alter table es_personal_keys add column if not exists kek_id text;

-- One round trip per append: idempotency check, stream lock, version check, ordered insert.
create or replace function es_append(
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
    from es_streams s where s.stream_id = p_stream for update;
    if not found then
        insert into es_streams (stream_id, version, last_tx)
        values (p_stream, 0, '0'::xid8)
        on conflict (stream_id) do nothing;
        select s.version, s.last_tx into v_current, v_last_tx
        from es_streams s where s.stream_id = p_stream for update;
    end if;

    -- Under the stream's lock, a retry of a committed append sees it: report where it went. A retry always finds
    -- the stream moved on (its first try added events), so the probe runs only when the version does not match.
    if p_expected < 0 or p_expected <> v_current then
        select e.stream_id into v_dup_stream from es_events e where e.event_id = p_ids[1];
        if found then
            if v_dup_stream <> p_stream then
                raise exception using errcode = 'LGDUP',
                    message = format('event id %s was appended to stream %s, not %s', p_ids[1], v_dup_stream, p_stream);
            end if;
            return query
                select e.version, e.tx_id, e.seq, true
                from unnest(p_ids) with ordinality as i(id, n)
                join es_events e on e.event_id = i.id
                order by i.n;
            return;
        end if;
    end if;

    if p_expected >= 0 and p_expected <> v_current then
        raise exception using errcode = 'LGWEV',
            message = format('stream %s is at version %s, not %s', p_stream, v_current, p_expected),
            hint = v_current::text;
    end if;

    v_tx := greatest(pg_current_xact_id(), v_last_tx);

    if v_count = 1 then
        -- The common case: one event, one plain insert.
        insert into es_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
        values (v_tx, p_stream, v_current + 1, p_ids[1], p_types[1], p_schema_versions[1], p_data[1], p_metadata[1])
        returning version, tx_id, seq, false into o_version, o_tx, o_seq, o_duplicate;
        return next;
    else
        return query
        insert into es_events (tx_id, stream_id, version, event_id, event_type, schema_version, data, metadata)
        select v_tx, p_stream, v_current + i.n, i.id, i.t, i.sv, i.d, i.m
        from unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata) with ordinality as i(id, t, sv, d, m, n)
        order by i.n
        returning version, tx_id, seq, false;
    end if;

    update es_streams set version = v_current + v_count, last_tx = v_tx where stream_id = p_stream;
end;
$$;
