-- The destination table each stream's state was committed with, and the key it was deduplicated by: a state says
-- how far that table is, not another. When a stream's table changes (a renamed workspace whose name the namespace
-- format holds, a changed namespace_format or prefix) or its deduplication key does (rows merged under the old key
-- are missing under the new one), the next sync reads the stream from the start instead of resuming with only the
-- rows that come after. Null for states committed before these columns: those resume as before.
alter table connection_states
    add column target_namespace text,
    add column target_name text,
    add column target_key jsonb;
