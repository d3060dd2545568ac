-- How many syncs one organization may run at once, across all workers; null: the instance's default.
alter table organizations add column max_concurrent_syncs integer check (max_concurrent_syncs between 1 and 10000);
