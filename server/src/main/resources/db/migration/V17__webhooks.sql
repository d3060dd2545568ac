-- Webhooks (issue 15, SPEC §16). An operator's endpoint: where events go, which ones, and the secret that signs
-- them (encrypted with the master key, bound to the row). After a rotation the previous secret keeps signing
-- beside the new one until previous_secret_expires_at.
create table webhook_endpoints (
    id                         uuid primary key,
    organization_id            uuid not null references organizations (id),
    url                        text not null,
    description                text,
    events                     jsonb not null,
    enabled                    boolean not null default true,
    disabled_reason            text,
    secret                     bytea not null,
    previous_secret            bytea,
    previous_secret_expires_at timestamptz,
    created_at                 timestamptz not null,
    updated_at                 timestamptz not null,
    deleted_at                 timestamptz
);
create index webhook_endpoints_organization on webhook_endpoints (organization_id, created_at, id)
    where deleted_at is null;

-- One event on its way to one endpoint, written in the transaction of the event (the outbox). Dispatchers on
-- any node claim due deliveries with skip locked, like jobs; a claim runs out, so a dead node's delivery goes
-- out again. webhook-id is the event id: the same across retries.
create table webhook_deliveries (
    id                 uuid primary key,
    organization_id    uuid not null references organizations (id),
    endpoint_id        uuid not null references webhook_endpoints (id),
    event_id           uuid not null references events (id),
    status             text not null check (status in ('pending', 'delivering', 'delivered', 'failed')),
    attempts           integer not null default 0,
    next_attempt_at    timestamptz not null,
    claimed_by         text,
    claimed_until      timestamptz,
    last_attempt_at    timestamptz,
    last_response_code integer,
    last_error         text,
    created_at         timestamptz not null,
    unique (endpoint_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status in ('pending', 'delivering');
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at, id);

-- Every attempt of a delivery, for the deliveries API.
create table webhook_attempts (
    delivery_id   uuid not null references webhook_deliveries (id),
    attempt       integer not null,
    attempted_at  timestamptz not null,
    response_code integer,
    error         text,
    duration_ms   integer not null,
    primary key (delivery_id, attempt)
);
