-- Workers claim the oldest pending sync: an index in that order lets a claim stop at the first free row.
create index jobs_pending_sync on jobs (created_at) where kind = 'sync' and status = 'pending';
