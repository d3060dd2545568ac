-- The destination table each stream's state was committed with: a state says how far that table is, not another.
-- When a stream's table changes (a renamed workspace whose name the namespace format holds, a changed
-- namespace_format or prefix) the next sync reads the stream from the start into its new table instead of resuming
-- there with only the rows that come after. Null for states committed before this column: those resume as before.
alter table connection_states
    add column target_namespace text,
    add column target_name text;
