-- Why Tributary paused a connection, for the status call: its source's credentials were refused (resumed when
-- the end user reconnects), or a schema change an operator must review. An operator's own pause leaves it null.
alter table connections drop constraint connections_paused_by_check;
alter table connections add constraint connections_paused_by_check
    check (paused_by in ('credentials', 'schema_change', 'breaking_schema_change'));

-- A connection's newest syncs (the status call, the job list of one connection) without reading its whole history.
create index jobs_connection_newest on jobs (connection_id, created_at desc) where kind = 'sync';
