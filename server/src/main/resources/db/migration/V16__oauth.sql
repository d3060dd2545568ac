-- End-user OAuth (issue 14). An organization's OAuth app for one connector definition: the client id
-- and secret the provider gave the operator. configuration holds it with secrets masked; their values
-- are encrypted in configuration_secrets, bound to the row.
create table oauth_apps (
    organization_id       uuid not null references organizations (id),
    definition_id         uuid not null,
    configuration         jsonb not null,
    configuration_secrets bytea,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    primary key (organization_id, definition_id)
);

-- A consent under way: the provider sends the end user back with the state, whose SHA-256 is the key
-- (the state itself is never stored). Used once, within minutes. source_id is set when an existing
-- source reconnects; callback_url is the redirect URI the provider was given, which the code exchange
-- repeats; the PKCE verifier is encrypted, bound to the row.
create table oauth_consents (
    state_hash         bytea primary key,
    organization_id    uuid not null references organizations (id),
    workspace_id       uuid not null references workspaces (id),
    definition_id      uuid not null,
    source_template_id uuid references source_templates (id),
    source_id          uuid references sources (id),
    redirect_url       text,
    callback_url       text not null,
    input_config       jsonb not null default '{}',
    code_verifier      bytea,
    created_at         timestamptz not null,
    expires_at         timestamptz not null,
    used_at            timestamptz
);
create index oauth_consents_expiry on oauth_consents (expires_at);

-- What a consent obtained, waiting for the source that takes it: the configuration fragment the
-- provider's tokens make, encrypted. The secret id handed out is never stored, only its SHA-256.
create table oauth_secrets (
    id_hash         bytea primary key,
    organization_id uuid not null references organizations (id),
    workspace_id    uuid not null references workspaces (id),
    definition_id   uuid not null,
    source_id       uuid references sources (id),
    payload         bytea not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    consumed_at     timestamptz
);
create index oauth_secrets_expiry on oauth_secrets (expires_at);

-- Whether the provider still honours a source's credentials; 'invalid' pauses its connections until the
-- end user reconnects it. paused_by says why a connection is inactive when Tributary paused it.
alter table sources
    add column credentials_status text not null default 'ok' check (credentials_status in ('ok', 'invalid')),
    add column credentials_checked_at timestamptz;
alter table connections
    add column paused_by text check (paused_by in ('credentials'));

-- What happened, for the operator (webhooks read it): written in the transaction of the change it
-- reports, so no event is lost and none reports a change that did not happen.
create table events (
    id              uuid primary key,
    organization_id uuid not null references organizations (id),
    workspace_id    uuid references workspaces (id),
    type            text not null,
    data            jsonb not null,
    created_at      timestamptz not null
);
create index events_organization on events (organization_id, created_at);
