-- Streams to read again from the start: kept until the stream's first commit after the request, so an attempt that
-- dies before it starts over rather than resuming from the state the refresh discarded.
create table connection_refreshes (
    connection_id uuid not null references connections (id),
    state_key     text not null,
    requested_at  timestamptz not null,
    primary key (connection_id, state_key)
);
