-- Finished jobs and old events are deleted after the history retention (tributary.history-retention):
-- these indexes find them, and the deliveries of an event, without reading the whole table.
create index jobs_finished on jobs (finished_at) where finished_at is not null;
create index events_created on events (created_at);
create index webhook_deliveries_event on webhook_deliveries (event_id);
