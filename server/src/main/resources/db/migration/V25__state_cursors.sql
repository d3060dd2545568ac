-- The cursor each incremental stream's state was read on: a state is a position on that cursor (an Airbyte
-- connector's state is its own, so Tributary cannot read which). When the stream's cursor changes, the next sync
-- reads it from the start instead of resuming on the new cursor from the old one's position, which would skip
-- records. Null for states committed before this column: those resume as before.
alter table connection_states add column cursor_field jsonb;
