-- SPEC §7/§11: an operator lets end users start syncs of their own connections, per connection template
alter table connection_templates add column allow_end_user_sync boolean not null default false;
