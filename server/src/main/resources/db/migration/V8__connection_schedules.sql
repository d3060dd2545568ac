-- When each connection syncs next. schedule_stale marks a connection whose cron (its own or its template's) changed,
-- so the scheduler recomputes next_sync_at; new connections start stale.
alter table connections add column next_sync_at timestamptz;
alter table connections add column schedule_stale boolean not null default true;
create index connections_due on connections (next_sync_at) where deleted_at is null and not schedule_stale;
create index connections_schedule_stale on connections (id) where deleted_at is null and schedule_stale;
