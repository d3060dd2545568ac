package io.tributary.tag;

import io.swagger.v3.oas.annotations.Operation;
import io.tributary.auth.OperatorCaller;
import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.common.Page;
import io.tributary.common.PageLinks;
import io.tributary.common.PageRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Template tags (notes §1.6). Operator only: Tributary does not let scoped tokens manage org-wide
 * tags.
 */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Template tags")
class TagController {

  private final TagRepository tags;
  private final Clock clock;

  TagController(TagRepository tags, Clock clock) {
    this.tags = tags;
    this.clock = clock;
  }

  @PostMapping("/api/v1/integrations/templates/tags")
  @Operation(summary = "Create a tag")
  Tag create(OperatorCaller caller, @Valid @RequestBody TagName body) {
    Instant now = clock.instant();
    Tag tag = new Tag(UUID.randomUUID(), body.name(), caller.organizationId(), now, now);
    if (!tags.insert(tag)) {
      throw new ConflictException("Template tag with name '" + body.name() + "' already exists.");
    }
    return tag;
  }

  @GetMapping("/api/v1/integrations/templates/tags")
  @Operation(summary = "List the organization's tags")
  Page<Tag> list(
      OperatorCaller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor,
      PageLinks links) {
    PageRequest page = PageRequest.of(limit == null ? PageRequest.MAX_LIMIT : limit, cursor);
    return page.page(
        tags.page(caller.organizationId(), page),
        t -> new PageRequest.Key(t.createdAt(), t.id()),
        links);
  }

  @PutMapping("/api/v1/integrations/templates/tags/{name}")
  @Transactional
  @Operation(summary = "Rename a tag; every template carrying it carries the new name")
  Tag rename(OperatorCaller caller, @PathVariable String name, @Valid @RequestBody TagName body) {
    Tag tag = existing(caller, name);
    if (!body.name().equals(name)
        && tags.findByName(caller.organizationId(), body.name()).isPresent()) {
      throw new ConflictException("Template tag with name '" + body.name() + "' already exists.");
    }
    try {
      tags.rename(tag.id(), body.name(), clock.instant());
    } catch (DuplicateKeyException e) {
      throw new ConflictException("Template tag with name '" + body.name() + "' already exists.");
    }
    return existing(caller, body.name());
  }

  @DeleteMapping("/api/v1/integrations/templates/tags/{name}")
  @Transactional
  @Operation(summary = "Delete a tag and remove it from every template")
  Deleted delete(OperatorCaller caller, @PathVariable String name) {
    Tag tag = existing(caller, name);
    tags.delete(tag.id());
    return new Deleted(tag.id(), clock.instant());
  }

  private Tag existing(OperatorCaller caller, String name) {
    return tags.findByName(caller.organizationId(), name)
        .orElseThrow(
            () ->
                new NotFoundException(
                    null, null, "Template tag with name '" + name + "' not found."));
  }

  record TagName(
      @NotNull @Size(min = 1, max = 255, message = "ensure this value has at most 255 characters")
          String name) {}

  record Deleted(UUID id, Instant deletedAt) {}
}
