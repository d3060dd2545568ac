-- An end user's connected system. config holds the user's part of the configuration with secrets masked
-- (their values are encrypted in config_secrets); the template's defaults are merged in at use time.
create table sources (
    id                 uuid primary key,
    organization_id    uuid not null references organizations (id),
    workspace_id       uuid not null references workspaces (id),
    source_template_id uuid not null references source_templates (id),
    definition_id      uuid not null,
    name               text not null check (length(name) between 1 and 255),
    config             jsonb not null,
    config_secrets     bytea,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    deleted_at         timestamptz
);
create index sources_workspace_page on sources (workspace_id, created_at, id) where deleted_at is null;

-- The last discovered catalog of a source. json, not jsonb: the order of a schema's properties is the order of
-- the record's fields.
create table source_catalogs (
    source_id     uuid primary key references sources (id),
    catalog       json not null,
    discovered_at timestamptz not null
);

-- The streams a source syncs and how; they apply to every connection of the source.
create table source_streams (
    source_id             uuid not null references sources (id),
    stream_name           text not null,
    namespace             text,
    sync_mode             text not null check (sync_mode in ('full_refresh', 'incremental')),
    destination_sync_mode text not null check (destination_sync_mode in ('append', 'overwrite', 'append_dedup')),
    cursor_field          jsonb not null default '[]',
    primary_key           jsonb not null default '[]',
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    primary key (source_id, stream_name)
);

-- One destination per connection template and workspace; its configuration is the template's, read live.
create table destinations (
    id                     uuid primary key,
    organization_id        uuid not null references organizations (id),
    workspace_id           uuid not null references workspaces (id),
    connection_template_id uuid not null references connection_templates (id),
    definition_id          uuid not null,
    name                   text not null,
    created_at             timestamptz not null,
    updated_at             timestamptz not null,
    deleted_at             timestamptz
);
create unique index destinations_per_template on destinations (workspace_id, connection_template_id) where deleted_at is null;

-- A source wired to a destination. Schedule, naming and schema-change policy come from the template, read live,
-- so a template PATCH reaches every connection made from it; cron_expression, when set, overrides the schedule.
create table connections (
    id                     uuid primary key,
    organization_id        uuid not null references organizations (id),
    workspace_id           uuid not null references workspaces (id),
    source_id              uuid not null references sources (id),
    destination_id         uuid not null references destinations (id),
    connection_template_id uuid not null references connection_templates (id),
    status                 text not null default 'active' check (status in ('active', 'inactive')),
    cron_expression        text,
    cron_time_zone         text,
    sync_requested_at      timestamptz,
    created_at             timestamptz not null,
    updated_at             timestamptz not null,
    deleted_at             timestamptz
);
create unique index connections_per_pair on connections (source_id, destination_id) where deleted_at is null;
create index connections_workspace_page on connections (workspace_id, created_at, id) where deleted_at is null;
