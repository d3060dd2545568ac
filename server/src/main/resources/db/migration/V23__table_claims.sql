-- Which connection writes each table of a workspace's destination (one per connection template), the tables
-- compared folded as namespaces are (V22): two sources of one workspace whose streams have one name (two databases,
-- each with a users table) would otherwise overwrite each other's table. One source synced to several templates'
-- destinations writes one table in each, and claims each. A deleted connection's tables may be taken by another.
create table table_claims (
    destination_id uuid not null references destinations (id),
    namespace_key  text not null,
    table_key      text not null,
    connection_id  uuid not null references connections (id),
    claimed_at     timestamptz not null,
    primary key (destination_id, namespace_key, table_key)
);
create index table_claims_connection on table_claims (connection_id);
create index namespace_claims_workspace on namespace_claims (workspace_id);
