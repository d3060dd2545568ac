-- The connection-template tag filter a source was created with, so reconciling later applies the same choice.
alter table sources
    add column connection_template_tags      jsonb,
    add column connection_template_tags_mode text check (connection_template_tags_mode in ('any', 'all'));
