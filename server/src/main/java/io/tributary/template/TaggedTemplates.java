package io.tributary.template;

import io.tributary.auth.TagMode;
import io.tributary.common.NotFoundException;
import io.tributary.common.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * What one template kind does like every other: read live within the organization, listed, deleted
 * softly and tagged. Returns the kind's API view, {@code V}. Each write runs in a transaction, the
 * caller's when there is one, so the kind's own create and update can tag the template they write.
 */
public final class TaggedTemplates<T extends Template, V> {

  private final TemplateCore core;
  private final TemplateStore<T> store;
  private final BiFunction<T, List<String>, V> view;

  TaggedTemplates(TemplateCore core, TemplateStore<T> store, BiFunction<T, List<String>, V> view) {
    this.core = core;
    this.store = store;
    this.view = view;
  }

  /** What messages call one template of this kind. */
  String noun() {
    return store.kind().noun();
  }

  /** The live template; not found when deleted or another organization's. */
  public T get(UUID organizationId, UUID id) {
    return store
        .findLive(organizationId, id)
        .orElseThrow(() -> new NotFoundException(null, null, store.kind().noun() + " not found"));
  }

  public V view(UUID organizationId, UUID id) {
    return view(get(organizationId, id));
  }

  public V view(T template) {
    return view.apply(template, store.tagNames(List.of(template.id())).get(template.id()));
  }

  /** A page of live templates carrying any or all ({@code mode}, all when null) of {@code tags}. */
  public List<V> page(UUID organizationId, List<String> tagFilter, TagMode mode, PageRequest page) {
    List<T> rows = store.page(organizationId, tagFilter, mode == null ? TagMode.ALL : mode, page);
    Map<UUID, List<String>> names = store.tagNames(rows.stream().map(Template::id).toList());
    return rows.stream().map(template -> view.apply(template, names.get(template.id()))).toList();
  }

  /**
   * Deletes softly: end users no longer see it, what was made from it keeps working. Returns when.
   */
  public Instant delete(UUID organizationId, UUID id) {
    return core.transaction.execute(
        status -> {
          Instant now = core.clock.instant();
          if (!store.softDelete(organizationId, id, now)) {
            throw new NotFoundException(null, null, store.kind().noun() + " not found");
          }
          return now;
        });
  }

  /** Tags the template, creating the tag when the organization has none of that name. */
  public V addTag(UUID organizationId, UUID id, String tag) {
    return core.transaction.execute(
        status -> {
          get(organizationId, id);
          Instant now = core.clock.instant();
          store.attach(id, core.tags.getOrCreate(organizationId, List.of(tag), now));
          store.touch(id, now);
          return view(organizationId, id);
        });
  }

  public V removeTag(UUID organizationId, UUID id, String tag) {
    return core.transaction.execute(
        status -> {
          get(organizationId, id);
          if (!store.detach(organizationId, id, tag)) {
            throw new NotFoundException(
                null, null, "Tag '" + tag + "' not found on this template.");
          }
          store.touch(id, core.clock.instant());
          return view(organizationId, id);
        });
  }

  /** Tags a template just created; null names no tags. */
  public void addTags(UUID organizationId, UUID id, List<String> names, Instant now) {
    if (names != null) {
      core.transaction.executeWithoutResult(
          status -> store.attach(id, core.tags.getOrCreate(organizationId, names, now)));
    }
  }

  /** Replaces the tags of an updated template; null leaves them as they are. */
  public void replaceTags(UUID organizationId, UUID id, List<String> names, Instant now) {
    if (names != null) {
      core.transaction.executeWithoutResult(
          status -> store.replaceTags(id, core.tags.getOrCreate(organizationId, names, now)));
    }
  }
}
