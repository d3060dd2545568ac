-- Organizations are the operators' tenants; everything else belongs to exactly one.
create table organizations (
    id                       uuid primary key,
    name                     text not null unique check (length(name) between 1 and 255),
    rate_limit_per_hour      integer check (rate_limit_per_hour > 0),
    scoped_token_ttl_seconds integer check (scoped_token_ttl_seconds between 60 and 86400),
    created_at               timestamptz not null default now()
);

-- Client credentials of an organization. The secret is stored only as a salted PBKDF2 hash.
create table applications (
    id                 uuid primary key,
    organization_id    uuid not null references organizations (id),
    name               text not null check (length(name) between 1 and 255),
    client_id          text not null unique check (length(client_id) between 1 and 255),
    client_secret_hash text not null,
    created_at         timestamptz not null default now(),
    revoked_at         timestamptz
);
create index applications_organization on applications (organization_id);

-- Token signing keys. The newest key without verify_until signs; older ones still verify until their
-- tokens have expired. The private half is encrypted with the instance master key.
create table signing_keys (
    kid                    text primary key,
    algorithm              text not null,
    public_jwk             text not null,
    private_key_ciphertext bytea not null,
    created_at             timestamptz not null default now(),
    verify_until           timestamptz
);

-- An end user's space. Names are unique among live workspaces of an organization, so a deleted
-- workspace's name can be taken again. token_generation is stamped into scoped tokens; bumping it
-- revokes every token issued before.
create table workspaces (
    id               uuid primary key,
    organization_id  uuid not null references organizations (id),
    name             text not null check (length(name) between 1 and 255),
    region_id        uuid not null,
    status           text not null default 'active' check (status in ('active', 'inactive')),
    token_generation integer not null default 0,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    deleted_at       timestamptz
);
create unique index workspaces_live_name on workspaces (organization_id, name) where deleted_at is null;
create index workspaces_organization_page on workspaces (organization_id, created_at, id) where deleted_at is null;

-- Fixed-window request counters shared by every server node.
create table rate_limit_windows (
    bucket       text not null,
    window_start timestamptz not null,
    hits         integer not null,
    primary key (bucket, window_start)
);
