-- Airbyte-protocol connectors the instance admin registers: run as child processes with this command.
create table external_connectors (
    definition_id uuid primary key,
    type          text not null check (type in ('source', 'destination')),
    name          text not null check (length(name) between 1 and 255),
    command       jsonb not null,
    spec          jsonb not null,
    created_at    timestamptz not null
);
