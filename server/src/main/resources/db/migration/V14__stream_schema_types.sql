-- The type of each field at the last successful sync ({"name": "integer", ...}), to see a type change coming.
alter table connection_stream_schemas add column types jsonb;
