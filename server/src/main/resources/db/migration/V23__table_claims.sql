-- Which connection writes each destination table of an organization, the tables compared folded as namespaces are
-- (V22): two connections of one workspace whose streams have one name (two databases, each with a users table)
-- would otherwise overwrite each other's table. A deleted connection's tables may be taken by another.
create table table_claims (
    organization_id uuid not null references organizations (id),
    namespace_key   text not null,
    table_key       text not null,
    connection_id   uuid not null references connections (id),
    claimed_at      timestamptz not null,
    primary key (organization_id, namespace_key, table_key)
);
create index table_claims_connection on table_claims (connection_id);
create index namespace_claims_workspace on namespace_claims (workspace_id);
