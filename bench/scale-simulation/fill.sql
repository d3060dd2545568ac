-- Fills a database migrated by the application's own Flyway migrations with :workspaces workspaces in
-- :organizations organizations, 3 connections per workspace (each its own source, one destination per
-- workspace) and :jobs sync jobs of history spread over the last 90 days, plus a live queue: 2,000 pending
-- syncs and 1,000 running ones. Ids are md5s of a kind and a number, so each table finds the rows it refers to.
-- Foreign keys are consistent by construction; their per-row checks are skipped while filling
-- (session_replication_role), and the jobs indexes are built after the rows, from their own definitions.
\set ON_ERROR_STOP on
set session_replication_role = replica;
set synchronous_commit = off;
\timing on

insert into organizations (id, name, created_at)
select md5('o' || n)::uuid, 'org ' || n, now() - interval '400 days' from generate_series(1, :organizations) n;

-- half the workspaces in each region (the claim of a worker started with --region filters on it)
insert into workspaces (id, organization_id, name, region_id, created_at, updated_at)
select md5('w' || n)::uuid, md5('o' || (n % :organizations + 1))::uuid, 'ws ' || n,
       case when n % 2 = 0 then '645a183f-b12b-4c6e-8ad3-99e165603450'::uuid else 'b9e48d61-f082-4a14-a8d0-799a907938cb'::uuid end,
       now() - interval '300 days' + n * interval '1 second', now()
from generate_series(1, :workspaces) n;

insert into source_templates (id, organization_id, name, actor_definition_id, partial_default_config, customization, created_at, updated_at)
select md5('st' || n)::uuid, md5('o' || n)::uuid, 'Faker', '00000000-0000-0000-0000-0000000000fa'::uuid, '{}', '{}', now(), now()
from generate_series(1, :organizations) n;

insert into connection_templates (id, organization_id, destination_name, destination_definition_id, destination_config,
    non_breaking_changes_preference, sync_on_create, namespace_format, prefix, cron_expression, cron_time_zone, created_at, updated_at)
select md5('ct' || n)::uuid, md5('o' || n)::uuid, 'Lake', '00000000-0000-0000-0000-0000000000de'::uuid, '{}',
       'ignore', true, '${SOURCE_NAMESPACE}', '', '0 0 * * * ?', 'UTC', now(), now()
from generate_series(1, :organizations) n;

-- workspace w (1-based) holds connections 3w-2 .. 3w
insert into sources (id, organization_id, workspace_id, source_template_id, definition_id, name, config, created_at, updated_at)
select md5('s' || n)::uuid, md5('o' || (w % :organizations + 1))::uuid, md5('w' || w)::uuid,
       md5('st' || (w % :organizations + 1))::uuid, '00000000-0000-0000-0000-0000000000fa'::uuid, 'Faker', '{}',
       now() - interval '300 days' + n * interval '1 second', now()
from generate_series(1, 3 * :workspaces) n, lateral (select (n + 2) / 3 as w) x;

insert into destinations (id, organization_id, workspace_id, connection_template_id, definition_id, name, created_at, updated_at)
select md5('d' || w)::uuid, md5('o' || (w % :organizations + 1))::uuid, md5('w' || w)::uuid, md5('ct' || (w % :organizations + 1))::uuid,
       '00000000-0000-0000-0000-0000000000de'::uuid, 'Lake', now(), now()
from generate_series(1, :workspaces) w;

-- hourly syncs, due times spread over the hour; made with sync_on_create, as the widget makes them
insert into connections (id, organization_id, workspace_id, source_id, destination_id, connection_template_id, created_at, updated_at,
    sync_requested_at, next_sync_at, schedule_stale)
select md5('c' || n)::uuid, md5('o' || (w % :organizations + 1))::uuid, md5('w' || w)::uuid, md5('s' || n)::uuid, md5('d' || w)::uuid,
       md5('ct' || (w % :organizations + 1))::uuid, now() - interval '300 days' + n * interval '1 second', now(),
       now() - interval '300 days' + n * interval '1 second',
       date_trunc('hour', now()) + interval '1 hour' + (n % 3600) * interval '1 second', false
from generate_series(1, 3 * :workspaces) n, lateral (select (n + 2) / 3 as w) x;

-- history: job j syncs connection j mod connections, created evenly over 90 days, 5 % failed
create temporary table job_indexes as
select indexname, indexdef from pg_indexes where tablename = 'jobs' and indexname <> 'jobs_pkey';
select 'drop index ' || string_agg(indexname, ', ') from job_indexes \gexec

insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, failure_type, failure_reason, created_at,
    started_at, heartbeat_at, finished_at, attempts, worker, stats)
select md5('j' || j)::uuid, md5('o' || (w % :organizations + 1))::uuid, md5('w' || w)::uuid, 'sync', md5('c' || c)::uuid,
       case when j % 20 = 0 then 'failed' else 'succeeded' end,
       case when j % 20 = 0 then 'system_error' end,
       case when j % 20 = 0 then 'The source refused the credentials' end,
       t, t + interval '1 second', t + interval '30 seconds', t + interval '31 seconds', 1, 'worker-' || (j % 8) || '/0',
       '[{"stream":"users","records_committed":100}]'
from generate_series(1, :jobs) j,
     lateral (select (j % (3 * :workspaces)) + 1 as c) y,
     lateral (select (c + 2) / 3 as w, now() - interval '90 days' + (j::float8 / :jobs) * interval '90 days' - interval '1 hour' as t) x;

-- the live queue: pending syncs (some waiting on a retry's not_before) and running ones with fresh heartbeats
insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, created_at, started_at, heartbeat_at, attempts,
    not_before, worker)
select md5('q' || c)::uuid, md5('o' || (w % :organizations + 1))::uuid, md5('w' || w)::uuid, 'sync', md5('c' || c)::uuid,
       case when c <= 2000 then 'pending' else 'running' end,
       now() - (3000 - c) * interval '10 millisecond',
       case when c > 2000 then now() - interval '20 seconds' end,
       case when c > 2000 then now() - interval '1 second' end,
       case when c > 2000 then 1 else 0 end,
       case when c % 10 = 0 and c <= 2000 then now() + interval '1 minute' end,
       case when c > 2000 then 'worker-' || (c % 8) || '/0' end
from generate_series(1, 3000) c, lateral (select (c + 2) / 3 as w) x;

select indexdef from job_indexes \gexec
-- ten connections made with sync_on_create whose first sync is not queued yet, as after a burst of sign-ups
update connections set first_sync_pending = true where id in (select md5('c' || n)::uuid from generate_series(1, 10) n);
set session_replication_role = origin;
vacuum analyze;
