alter table organizations
    add column min_sync_interval_seconds integer check (min_sync_interval_seconds >= 60);

create table tags (
    id              uuid primary key,
    organization_id uuid not null references organizations (id),
    name            text not null check (length(name) between 1 and 255),
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    unique (organization_id, name)
);
create index tags_page on tags (organization_id, created_at, id);

-- What an end user may connect, and the part of its configuration the operator presets.
-- partial_default_config holds the configuration with secrets masked; their values are encrypted in
-- partial_default_secrets.
create table source_templates (
    id                      uuid primary key,
    organization_id         uuid not null references organizations (id),
    name                    text not null check (length(name) between 1 and 255),
    actor_definition_id     uuid not null,
    partial_default_config  jsonb not null,
    partial_default_secrets bytea,
    customization           jsonb not null,
    created_at              timestamptz not null,
    updated_at              timestamptz not null,
    deleted_at              timestamptz
);
create index source_templates_page on source_templates (organization_id, created_at, id) where deleted_at is null;

create table source_template_tags (
    template_id uuid not null references source_templates (id) on delete cascade,
    tag_id      uuid not null references tags (id) on delete cascade,
    primary key (template_id, tag_id)
);
create index source_template_tags_tag on source_template_tags (tag_id);

-- Where every end user's data lands and how often: a destination and a connection per source.
create table connection_templates (
    id                              uuid primary key,
    organization_id                 uuid not null references organizations (id),
    destination_name                text not null check (length(destination_name) between 1 and 255),
    destination_definition_id       uuid not null,
    destination_config              jsonb not null,
    destination_secrets             bytea,
    cron_expression                 text,
    cron_time_zone                  text not null default 'UTC',
    non_breaking_changes_preference text not null
        check (non_breaking_changes_preference in ('ignore', 'disable', 'propagate_columns', 'propagate_fully')),
    sync_on_create                  boolean not null,
    namespace_format                text not null,
    prefix                          text not null,
    created_at                      timestamptz not null,
    updated_at                      timestamptz not null,
    deleted_at                      timestamptz
);
create index connection_templates_page on connection_templates (organization_id, created_at, id) where deleted_at is null;

create table connection_template_tags (
    template_id uuid not null references connection_templates (id) on delete cascade,
    tag_id      uuid not null references tags (id) on delete cascade,
    primary key (template_id, tag_id)
);
create index connection_template_tags_tag on connection_template_tags (tag_id);
