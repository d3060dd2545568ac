package io.tributary.sourcetemplate;

import io.tributary.auth.TagMode;
import io.tributary.common.ApiException;
import io.tributary.common.PageRequest;
import io.tributary.common.ValidationException;
import io.tributary.definition.ConfigValidator;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorType;
import io.tributary.secret.ConfigSecrets;
import io.tributary.secret.SealedConfig;
import io.tributary.tag.TagRepository;
import io.tributary.tag.TemplateTags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Service
public class SourceTemplateService {

  private static final List<Object> CONFIG_LOC = List.of("body", "partial_default_config");

  private final SourceTemplateRepository templates;
  private final ConnectorRegistry registry;
  private final ConfigValidator validator;
  private final ConfigSecrets secrets;
  private final TagRepository tags;
  private final TemplateTags templateTags;
  private final Clock clock;

  SourceTemplateService(SourceTemplateRepository templates, ConnectorRegistry registry, ConfigValidator validator,
      ConfigSecrets secrets, TagRepository tags, TemplateTags templateTags, Clock clock) {
    this.templates = templates;
    this.registry = registry;
    this.validator = validator;
    this.secrets = secrets;
    this.tags = tags;
    this.templateTags = templateTags;
    this.clock = clock;
  }

  @Transactional
  public SourceTemplateView create(UUID organizationId, String name, UUID definitionId, JsonNode config,
      Customization customization, List<String> tagNames) {
    ConnectorDefinition definition = registry.find(ConnectorType.SOURCE, definitionId)
        .orElseThrow(() -> ValidationException.body("actor_definition_id", "unknown source definition", "value_error.definition"));
    validator.validate(definition, config, ConfigValidator.Completeness.PARTIAL, CONFIG_LOC);
    Customization checked = check(customization);
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    SealedConfig sealed = secrets.seal(definition.connectionSpecification(), (ObjectNode) config, null,
        SourceTemplate.secretContext(id), null, CONFIG_LOC);
    var template = new SourceTemplate(id, organizationId, name == null || name.isBlank() ? definition.name() : name,
        definitionId, sealed, checked, now, now);
    templates.insert(template);
    if (tagNames != null) {
      templateTags.attach(TemplateTags.Kind.SOURCE, id, tags.getOrCreate(organizationId, tagNames, now));
    }
    return view(template);
  }

  public SourceTemplate get(UUID organizationId, UUID id) {
    return templates.findLive(organizationId, id).orElseThrow(() -> ApiException.notFound("Source template not found"));
  }

  public SourceTemplateView view(UUID organizationId, UUID id) {
    return view(get(organizationId, id));
  }

  public List<SourceTemplateView> page(UUID organizationId, List<String> tagFilter, TagMode mode, PageRequest page) {
    List<SourceTemplate> rows = templates.page(organizationId, tagFilter, mode, page);
    Map<UUID, List<String>> names = templateTags.namesOf(TemplateTags.Kind.SOURCE, rows.stream().map(SourceTemplate::id).toList());
    List<SourceTemplateView> views = new ArrayList<>();
    for (SourceTemplate template : rows) {
      views.add(SourceTemplateView.of(template, registry.source(template.actorDefinitionId()), names.get(template.id())));
    }
    return views;
  }

  /** Changes what is given; a new default configuration replaces the old, masked secrets kept. */
  @Transactional
  public SourceTemplateView update(UUID organizationId, UUID id, String name, JsonNode config, Customization customization,
      List<String> tagNames) {
    SourceTemplate current = get(organizationId, id);
    ConnectorDefinition definition = registry.source(current.actorDefinitionId());
    SealedConfig sealed = current.partialDefaultConfig();
    if (config != null) {
      validator.validate(definition, config, ConfigValidator.Completeness.PARTIAL, List.of("body", "partial_default_config"));
      sealed = secrets.seal(definition.connectionSpecification(), (ObjectNode) config, current.partialDefaultConfig(),
          current.secretContext(), current.secretContext(), List.of("body", "partial_default_config"));
    }
    Instant now = clock.instant();
    var updated = new SourceTemplate(id, organizationId, name == null ? current.name() : name, current.actorDefinitionId(),
        sealed, customization == null ? current.customization() : check(customization), current.createdAt(), now);
    templates.update(updated);
    if (tagNames != null) {
      templateTags.replace(TemplateTags.Kind.SOURCE, id, tags.getOrCreate(organizationId, tagNames, now));
    }
    return view(organizationId, id);
  }

  @Transactional
  public Instant delete(UUID organizationId, UUID id) {
    Instant now = clock.instant();
    if (!templates.softDelete(organizationId, id, now)) {
      throw ApiException.notFound("Source template not found");
    }
    return now;
  }

  @Transactional
  public SourceTemplateView addTag(UUID organizationId, UUID id, String tag) {
    get(organizationId, id);
    Instant now = clock.instant();
    templateTags.attach(TemplateTags.Kind.SOURCE, id, tags.getOrCreate(organizationId, List.of(tag), now));
    templates.touch(id, now);
    return view(organizationId, id);
  }

  @Transactional
  public SourceTemplateView removeTag(UUID organizationId, UUID id, String tag) {
    get(organizationId, id);
    if (!templateTags.detach(TemplateTags.Kind.SOURCE, id, organizationId, tag)) {
      throw ApiException.notFound("Tag '" + tag + "' not found on this template.");
    }
    templates.touch(id, clock.instant());
    return view(organizationId, id);
  }

  private SourceTemplateView view(SourceTemplate template) {
    List<String> names = templateTags.namesOf(TemplateTags.Kind.SOURCE, List.of(template.id())).get(template.id());
    return SourceTemplateView.of(template, registry.source(template.actorDefinitionId()), names);
  }

  private static Customization check(Customization customization) {
    if (customization == null) {
      return Customization.DEFAULT;
    }
    if (customization.streamSelectionMode() == Customization.StreamSelectionMode.WHITELIST
        && (customization.streamWhitelist() == null || customization.streamWhitelist().isEmpty())) {
      throw new ValidationException(List.of(new ValidationException.FieldError(
          List.of("body", "customization", "stream_whitelist"),
          "must name at least one stream when stream_selection_mode is whitelist", "value_error.missing")));
    }
    if (customization.streamCustomizations() != null) {
      customization.streamCustomizations().forEach((stream, overrides) -> {
        if (overrides != null && overrides.primaryKeyFields() != null
            && overrides.primaryKeyFields().stream().anyMatch(key -> key == null || key.isEmpty())) {
          throw new ValidationException(List.of(new ValidationException.FieldError(
              List.of("body", "customization", "stream_customizations", stream, "primary_key_fields"),
              "every primary key field is a non-empty path", "value_error")));
        }
      });
    }
    return customization;
  }
}
