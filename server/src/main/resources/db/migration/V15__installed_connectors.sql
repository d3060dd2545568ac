-- Airbyte connectors installed by name (issue 13): a Python package in a virtual environment of its
-- own, or a declarative manifest run by the shared airbyte-cdk, besides the commands registered by hand.
-- Any node can rebuild an environment from package_name and package_version, so none is node-local.
alter table external_connectors
    alter column command drop not null,
    add column runtime           text not null default 'command' check (runtime in ('command', 'python', 'manifest')),
    add column package_name      text,
    add column package_version   text,
    add column entry_point       text,
    add column manifest          jsonb,
    add column components        text,
    add column docker_repository text,
    add column icon_url          text,
    add column documentation_url text,
    add column license           text,
    add column language          text,
    add column updated_at        timestamptz;

-- An install or upgrade the instance admin asked for, polled until it ends. Never holds a secret.
create table connector_installs (
    id             uuid primary key,
    name           text not null,
    version        text,
    definition_id  uuid,
    status         text not null check (status in ('pending', 'running', 'succeeded', 'failed')),
    log            text not null default '',
    failure_reason text,
    created_at     timestamptz not null,
    finished_at    timestamptz
);
create index connector_installs_created on connector_installs (created_at desc);
