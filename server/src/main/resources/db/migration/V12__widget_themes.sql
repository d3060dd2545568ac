-- How an organization's widget looks to its end users: its name, colour and logo.
create table widget_themes (
    organization_id uuid primary key references organizations (id),
    name            text check (length(name) between 1 and 80),
    primary_color   text check (primary_color ~ '^#[0-9a-f]{6}$'),
    logo_url        text check ((logo_url like 'https://%' or logo_url like 'data:image/%') and length(logo_url) <= 65536),
    updated_at      timestamptz not null
);
