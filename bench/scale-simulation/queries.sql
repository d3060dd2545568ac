-- The statements the product runs, as its repositories build them, with the parameters bound as literals (the
-- plan a prepared statement gets for its first executions). Each is preceded by "-- <file>: <fragment>", a line
-- of the repository's own SQL that bench/scale-simulation/run checks is still there, so a changed query shows
-- up as a failed run rather than a stale plan. Writes run inside a transaction that is rolled back.
-- Organization 1 owns workspaces 1000, 2000, ...; workspace 1000 holds connections 2998-3000.
\set ON_ERROR_STOP on
\pset pager off

\echo '### scheduler: connections due (ScheduleRepository.due, every second on every worker node)'
-- schedule/ScheduleRepository.java: where c.next_sync_at <= ? and c.deleted_at is null and not c.schedule_stale
begin;
explain (analyze, buffers, costs off) select c.id, c.organization_id,
      coalesce(c.cron_expression, t.cron_expression) as cron,
      case when c.cron_expression is not null then c.cron_time_zone else t.cron_time_zone end as zone
             from connections c
             join connection_templates t on t.id = c.connection_template_id
            where c.next_sync_at <= date_trunc('hour', now()) + interval '61 minutes' and c.deleted_at is null and not c.schedule_stale
            order by c.next_sync_at
            for update of c skip locked limit 200;
rollback;

\echo '### scheduler: changed schedules (ScheduleRepository.stale, every second on every worker node)'
-- schedule/ScheduleRepository.java: where c.schedule_stale and c.deleted_at is null
begin;
explain (analyze, buffers, costs off) select c.id, c.organization_id,
      coalesce(c.cron_expression, t.cron_expression) as cron,
      case when c.cron_expression is not null then c.cron_time_zone else t.cron_time_zone end as zone
             from connections c join connection_templates t on t.id = c.connection_template_id
            where c.schedule_stale and c.deleted_at is null
            for update of c skip locked limit 200;
rollback;

\echo '### scheduler: first syncs of connections made with sync_on_create (ScheduleRepository.firstSyncsDue, every second on every worker node)'
-- schedule/ScheduleRepository.java: and not exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync')
-- schedule/ScheduleRepository.java: where c.first_sync_pending and c.deleted_at is null and c.status = 'active'
explain (analyze, buffers, costs off)
            select c.organization_id, c.id from connections c
            join workspaces w on w.id = c.workspace_id and w.status = 'active' and w.deleted_at is null
            where c.first_sync_pending and c.deleted_at is null and c.status = 'active'
              and not exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync')
            order by c.sync_requested_at limit 100;

\echo '### queue: may this connection sync now? (JobRepository.syncRefusal, each manual or scheduled sync)'
-- job/JobRepository.java: exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync' and j.status in ('pending', 'running'))
explain (analyze, buffers, costs off)
            select w.status = 'active', c.status = 'active',
                   exists (select 1 from jobs j where j.connection_id = c.id and j.kind = 'sync' and j.status in ('pending', 'running'))
              from connections c join workspaces w on w.id = c.workspace_id and w.deleted_at is null
             where c.id = md5('c5000')::uuid and c.organization_id = md5('o668')::uuid and c.deleted_at is null;

\echo '### queue: enqueue a sync (JobRepository.enqueueSync)'
-- job/JobRepository.java: insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, created_at)
begin;
explain (analyze, buffers, costs off)
            insert into jobs (id, organization_id, workspace_id, kind, connection_id, status, created_at)
            select gen_random_uuid(), c.organization_id, c.workspace_id, 'sync', c.id, 'pending', now()
              from connections c join workspaces w on w.id = c.workspace_id
             where c.id = md5('c5000')::uuid and c.organization_id = md5('o668')::uuid and c.deleted_at is null and c.status = 'active'
               and w.deleted_at is null and w.status = 'active'
            on conflict do nothing;
rollback;

\echo '### worker: claim the oldest pending syncs, any region (JobRepository.claim, 16 free slots in one statement)'
-- job/JobRepository.java: with running as (select organization_id, count(*) as syncs from jobs
-- job/JobRepository.java: row_number() over (partition by c.organization_id order by c.created_at) as place
-- job/JobRepository.java: or (select w.region_id from workspaces w where w.id = j.workspace_id) = cast(? as uuid))
-- job/JobRepository.java: where id in (select id from chosen)
begin;
explain (analyze, buffers, costs off)
              with running as (select organization_id, count(*) as syncs from jobs
                               where kind = 'sync' and status = 'running' group by organization_id),
              room as (select o.id as organization_id, coalesce(o.max_concurrent_syncs, 10) - coalesce(r.syncs, 0) as slots
                       from organizations o left join running r on r.organization_id = o.id),
              candidates as (select j.id, j.organization_id, j.created_at from jobs j
                             where j.status = 'pending' and j.kind = 'sync' and (j.not_before is null or j.not_before <= now())
                               and (cast(null as uuid) is null
                                    or (select w.region_id from workspaces w where w.id = j.workspace_id) = cast(null as uuid))
                               and j.organization_id not in (select r.organization_id from running r join organizations o
                                                             on o.id = r.organization_id
                                                             where r.syncs >= coalesce(o.max_concurrent_syncs, 10))
                             order by j.created_at for update of j skip locked limit 64),
              chosen as (select c.id from (select c.id, c.organization_id, c.created_at,
                                                  row_number() over (partition by c.organization_id order by c.created_at) as place
                                           from candidates c) c
                         join room on room.organization_id = c.organization_id
                         where c.place <= room.slots
                         order by c.created_at limit 16)
              update jobs set status = 'running', worker = 'bench/1', started_at = coalesce(started_at, now()), heartbeat_at = now(),
                  attempts = attempts + 1
              where id in (select id from chosen)
              returning id, organization_id, connection_id, attempts;
rollback;

\echo '### worker: claim the oldest pending syncs of one region (JobRepository.claim, 16 free slots, tributary worker --region eu)'
begin;
explain (analyze, buffers, costs off)
              with running as (select organization_id, count(*) as syncs from jobs
                               where kind = 'sync' and status = 'running' group by organization_id),
              room as (select o.id as organization_id, coalesce(o.max_concurrent_syncs, 10) - coalesce(r.syncs, 0) as slots
                       from organizations o left join running r on r.organization_id = o.id),
              candidates as (select j.id, j.organization_id, j.created_at from jobs j
                             where j.status = 'pending' and j.kind = 'sync' and (j.not_before is null or j.not_before <= now())
                               and (cast('b9e48d61-f082-4a14-a8d0-799a907938cb' as uuid) is null
                                    or (select w.region_id from workspaces w where w.id = j.workspace_id) = cast('b9e48d61-f082-4a14-a8d0-799a907938cb' as uuid))
                               and j.organization_id not in (select r.organization_id from running r join organizations o
                                                             on o.id = r.organization_id
                                                             where r.syncs >= coalesce(o.max_concurrent_syncs, 10))
                             order by j.created_at for update of j skip locked limit 64),
              chosen as (select c.id from (select c.id, c.organization_id, c.created_at,
                                                  row_number() over (partition by c.organization_id order by c.created_at) as place
                                           from candidates c) c
                         join room on room.organization_id = c.organization_id
                         where c.place <= room.slots
                         order by c.created_at limit 16)
              update jobs set status = 'running', worker = 'bench/1', started_at = coalesce(started_at, now()), heartbeat_at = now(),
                  attempts = attempts + 1
              where id in (select id from chosen)
              returning id, organization_id, connection_id, attempts;
rollback;

\echo '### sweep: syncs whose node died (JobRepository.sweepAbandoned, every 30 s on every node)'
-- job/JobRepository.java: where status = 'running' and kind = ? and heartbeat_at < ?
begin;
explain (analyze, buffers, costs off)
            update jobs set
                status = case when attempts < 3 then 'pending' else 'failed' end,
                worker = null,
                failure_type = 'system_error',
                failure_reason = 'The node running this job stopped before it finished',
                finished_at = case when attempts < 3 then null else now()::timestamptz end
            where status = 'running' and kind = 'sync' and heartbeat_at < now() - interval '30 seconds'
            returning id, status;
rollback;

\echo '### API: GET /api/v1/jobs, an operator (whole organization), first page (JobRepository.page)'
-- job/JobRepository.java: new StringBuilder("select " + COLUMNS + " from jobs where " + TenantScope.CONDITION);
-- auth/TenantScope.java: "organization_id = ? and (?::uuid is null or workspace_id = ?)";
-- common/PageRequest.java: sql.append(" and (created_at, id) ").append(order.after).append(" (?, ?)");
explain (analyze, buffers, costs off)
select id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, failure_type, failure_reason,
       stats::text as stats, created_at, started_at, finished_at
  from jobs where organization_id = md5('o1')::uuid and (null::uuid is null or workspace_id = null)
 order by created_at desc, id desc limit 21;

\echo '### API: GET /api/v1/jobs?cursor=…, an operator, a page 30 days back'
explain (analyze, buffers, costs off)
select id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, failure_type, failure_reason,
       stats::text as stats, created_at, started_at, finished_at
  from jobs where organization_id = md5('o1')::uuid and (null::uuid is null or workspace_id = null)
   and (created_at, id) < (now() - interval '30 days', 'ffffffff-ffff-ffff-ffff-ffffffffffff')
 order by created_at desc, id desc limit 21;

\echo '### API: GET /api/v1/jobs?status=failed, an operator'
explain (analyze, buffers, costs off)
select id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, failure_type, failure_reason,
       stats::text as stats, created_at, started_at, finished_at
  from jobs where organization_id = md5('o1')::uuid and (null::uuid is null or workspace_id = null) and status = 'failed'
 order by created_at desc, id desc limit 21;

\echo '### API: GET /api/v1/jobs, an end user (one workspace)'
explain (analyze, buffers, costs off)
select id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, failure_type, failure_reason,
       stats::text as stats, created_at, started_at, finished_at
  from jobs where organization_id = md5('o1')::uuid and (md5('w1000')::uuid is null or workspace_id = md5('w1000')::uuid)
 order by created_at desc, id desc limit 21;

\echo '### API: GET /api/v1/jobs?connection_id=…'
-- job/JobRepository.java: sql.append(" and connection_id = ? and kind = 'sync'");
explain (analyze, buffers, costs off)
select id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, failure_type, failure_reason,
       stats::text as stats, created_at, started_at, finished_at
  from jobs where organization_id = md5('o1')::uuid and (null::uuid is null or workspace_id = null) and connection_id = md5('c3000')::uuid and kind = 'sync'
 order by created_at desc, id desc limit 21;

\echo '### API: GET /api/v1/connections, an operator (whole organization), first page (ConnectionRepository.connections)'
-- connection/ConnectionRepository.java: + " and deleted_at is null");
explain (analyze, buffers, costs off)
select * from connections where organization_id = md5('o1')::uuid and (null::uuid is null or workspace_id = null) and deleted_at is null
 order by created_at, id limit 21;

\echo '### API: GET /api/v1/connections, an end user (one workspace)'
explain (analyze, buffers, costs off)
select * from connections where organization_id = md5('o1')::uuid and (md5('w1000')::uuid is null or workspace_id = md5('w1000')::uuid)
   and deleted_at is null order by created_at, id limit 21;

\echo '### API: GET /api/v1/workspaces/{id}/status: its connections (ConnectionRepository.allLive)'
-- connection/ConnectionRepository.java: + " and deleted_at is null order by created_at, id")
explain (analyze, buffers, costs off)
select * from connections where organization_id = md5('o1')::uuid and (md5('w1000')::uuid is null or workspace_id = md5('w1000')::uuid)
   and deleted_at is null order by created_at, id;

\echo '### API: GET /api/v1/workspaces/{id}/status: newest finished sync of each connection (JobRepository.latestSyncs, 3 per call)'
-- job/JobRepository.java: + ") order by connection_id, created_at desc, id desc")
explain (analyze, buffers, costs off)
select distinct on (connection_id) id, organization_id, workspace_id, kind, source_id, connection_id, status, attempts, failure_type,
       failure_reason, stats::text as stats, created_at, started_at, finished_at
  from jobs where organization_id = md5('o1')::uuid and (md5('w1000')::uuid is null or workspace_id = md5('w1000')::uuid)
   and kind = 'sync' and connection_id is not null and status in ('succeeded', 'failed', 'cancelled')
 order by connection_id, created_at desc, id desc;
