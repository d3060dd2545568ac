-- An operator's lists of jobs and connections across the whole organization (no workspace named) page by
-- (created_at, id) within the organization. Without these a first page read every job of every organization:
-- a Seq Scan of jobs, 10,000,000 rows in bench/scale-simulation (docs/scaling.md).
create index jobs_organization_page on jobs (organization_id, created_at, id);
create index connections_organization_page on connections (organization_id, created_at, id) where deleted_at is null;

-- Connections whose first sync (sync_on_create) is still to be queued. The scheduler looks for them every second on
-- every worker node; without a flag of their own it read every connection ever made with sync_on_create (a Parallel
-- Seq Scan of connections: 1.6 s at 300,000 connections in bench/scale-simulation). Queuing any sync of the
-- connection clears it.
alter table connections add column first_sync_pending boolean not null default false;
update connections c set first_sync_pending = true
 where c.sync_requested_at is not null and c.deleted_at is null
   and not exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync');
create index connections_first_sync_pending on connections (sync_requested_at) where first_sync_pending and deleted_at is null;
