/**
 * The tagged-template core: what source templates and connection templates do the same way around
 * their own fields. A template belongs to one organization and is only ever read within it; it is
 * deleted softly, so the sources and connections made from it keep reading it; lists are keyset
 * pages in (created_at, id) order, filtered by any or all of some tags; a tag is attached by name
 * (an unknown name creates the tag), and adding or removing one moves the template's updated_at.
 *
 * <p>A template kind's repository extends {@link io.tributary.template.TemplateRepository}, giving
 * its {@link io.tributary.template.TemplateKind} (tables, name, secret scope), its own columns and
 * row mapping (the {@link io.tributary.template.TemplateStamp}, read by the core, first), and keeps
 * the SQL of its own columns; its service implements {@link io.tributary.template.TemplateService},
 * getting its {@link io.tributary.template.TaggedTemplates} from {@link
 * io.tributary.template.TemplateCore} with the way a row becomes its API view; its controller
 * implements {@link io.tributary.template.TemplateEndpoints}, which serves list, get, tag and untag
 * under the kind's base path. The kind's own fields, their validation and its create, update and
 * delete endpoints stay in its own package.
 */
package io.tributary.template;
