package io.tributary.template;

import io.swagger.v3.oas.annotations.Operation;
import io.tributary.auth.OperatorCaller;
import io.tributary.auth.TagMode;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The endpoints every template kind serves alike: list, get, tag and untag. A kind's controller
 * implements this under its base path and adds its own create, update and delete. The summaries say
 * {@code {template}} where the kind's name goes; {@link TemplateSummaries} fills it in.
 */
public interface TemplateEndpoints<
    T extends Template, V extends TemplateView, S extends TemplateService<T, V>> {

  /** The body of a delete's answer. */
  record Deleted(UUID id, Instant deletedAt) {}

  /** The kind's service. */
  S service();

  @GetMapping
  @Operation(summary = "List {template}s, optionally those carrying any/all of some tags")
  default Page<V> list(
      OperatorCaller caller,
      @RequestParam(required = false) List<String> tags,
      @RequestParam(name = "tags_mode", required = false) TagMode tagsMode,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit, cursor);
    var rows = service().tagged().page(caller.organizationId(), tags, tagsMode, page);
    return page.page(rows, t -> new PageRequest.Key(t.createdAt(), t.id()), links);
  }

  @GetMapping("/{templateId}")
  @Operation(summary = "Get a {template}")
  default V get(OperatorCaller caller, @PathVariable UUID templateId) {
    return service().tagged().view(caller.organizationId(), templateId);
  }

  @PostMapping("/{templateId}/tags")
  @Operation(summary = "Tag a {template} (the tag is created if new)")
  default V addTag(
      OperatorCaller caller,
      @PathVariable UUID templateId,
      @Valid @RequestBody TagRequest request) {
    return service().tagged().addTag(caller.organizationId(), templateId, request.tag());
  }

  @DeleteMapping("/{templateId}/tags/{tagName}")
  @Operation(summary = "Remove a tag from a {template}")
  default V removeTag(
      OperatorCaller caller, @PathVariable UUID templateId, @PathVariable String tagName) {
    return service().tagged().removeTag(caller.organizationId(), templateId, tagName);
  }

  /** Deletes softly; the kind maps it, with a summary that says what deleting means there. */
  default Deleted deleteTemplate(OperatorCaller caller, UUID templateId) {
    return new Deleted(templateId, service().tagged().delete(caller.organizationId(), templateId));
  }

  /** What a summary calls one template of this kind ({@code "source template"}). */
  default String noun() {
    return service().tagged().noun().toLowerCase(Locale.ROOT);
  }
}
