-- Work done in the background for a workspace: discovering a source's catalog now, syncing a connection later.
-- heartbeat_at moves while the job runs; a running job whose heartbeat stopped died with its node.
create table jobs (
    id              uuid primary key,
    organization_id uuid not null references organizations (id),
    workspace_id    uuid not null references workspaces (id),
    kind            text not null check (kind in ('discover', 'sync')),
    source_id       uuid references sources (id),
    connection_id   uuid references connections (id),
    status          text not null check (status in ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    failure_type    text,
    failure_reason  text,
    created_at      timestamptz not null,
    started_at      timestamptz,
    heartbeat_at    timestamptz,
    finished_at     timestamptz
);
create index jobs_workspace on jobs (workspace_id, created_at, id);
create index jobs_running on jobs (status, heartbeat_at) where status = 'running';
