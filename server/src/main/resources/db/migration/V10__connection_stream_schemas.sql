-- The columns each stream of a connection had at its last successful sync: what a new discover is compared with
-- to find schema changes.
create table connection_stream_schemas (
    connection_id uuid not null references connections (id),
    state_key     text not null,
    fields        jsonb not null,
    updated_at    timestamptz not null,
    primary key (connection_id, state_key)
);
