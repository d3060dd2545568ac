-- Which workspace writes each destination namespace of an organization. A namespace is kept under a key that folds
-- what destinations fold (case, punctuation, PostgreSQL's 63-byte identifiers), so two workspaces whose names
-- differ only there ("acme:prod", "acme_prod") never write into one schema or folder. A deleted workspace's
-- namespaces may be taken by a new one (a workspace's name can be reused).
create table namespace_claims (
    organization_id uuid not null references organizations (id),
    namespace_key   text not null,
    workspace_id    uuid not null references workspaces (id),
    claimed_at      timestamptz not null,
    primary key (organization_id, namespace_key)
);
