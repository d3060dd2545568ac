-- Sync jobs: one active per connection, cancellable, with per-stream statistics and a log.
alter table jobs
    add column cancel_requested boolean not null default false,
    add column attempts         integer not null default 0,
    add column not_before       timestamptz,
    add column worker           text,
    add column stats            jsonb;
create unique index jobs_one_active_sync on jobs (connection_id) where kind = 'sync' and status in ('pending', 'running');
create index jobs_pending on jobs (not_before, created_at) where status = 'pending';

create table job_logs (
    job_id uuid not null references jobs (id),
    seq    bigserial,
    at     timestamptz not null,
    line   text not null,
    primary key (job_id, seq)
);

-- The runtime's copy of each stream's committed state, per connection.
create table connection_states (
    connection_id uuid not null references connections (id),
    state_key     text not null,
    state         jsonb not null,
    updated_at    timestamptz not null,
    primary key (connection_id, state_key)
);
