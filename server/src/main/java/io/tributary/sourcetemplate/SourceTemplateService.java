package io.tributary.sourcetemplate;

import io.tributary.auth.TagMode;
import io.tributary.common.PageRequest;
import io.tributary.common.ValidationException;
import io.tributary.definition.ConfigValidator;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorType;
import io.tributary.secret.ConfigSecrets;
import io.tributary.secret.SealedConfig;
import io.tributary.template.TaggedTemplates;
import io.tributary.template.TemplateCore;
import io.tributary.template.TemplateService;
import io.tributary.template.TemplateStamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Service
public class SourceTemplateService implements TemplateService<SourceTemplate, SourceTemplateView> {

  private static final String CONFIG = "partial_default_config";

  private final SourceTemplateRepository repository;
  private final TaggedTemplates<SourceTemplate, SourceTemplateView> templates;
  private final ConnectorRegistry registry;
  private final ConfigValidator validator;
  private final ConfigSecrets secrets;
  private final EndUserForms forms;
  private final Clock clock;

  SourceTemplateService(
      SourceTemplateRepository repository,
      ConnectorRegistry registry,
      ConfigValidator validator,
      ConfigSecrets secrets,
      TemplateCore core,
      EndUserForms forms,
      Clock clock) {
    this.repository = repository;
    this.templates =
        core.tagged(
            repository.store(),
            (template, names) ->
                SourceTemplateView.of(
                    template, registry.source(template.actorDefinitionId()), names, forms));
    this.registry = registry;
    this.validator = validator;
    this.secrets = secrets;
    this.forms = forms;
    this.clock = clock;
  }

  @Override
  public TaggedTemplates<SourceTemplate, SourceTemplateView> tagged() {
    return templates;
  }

  @Transactional
  public SourceTemplateView create(
      UUID organizationId,
      String name,
      UUID definitionId,
      JsonNode config,
      Customization customization,
      List<String> tagNames) {
    ConnectorDefinition definition =
        registry
            .findHeld(ConnectorType.SOURCE, definitionId)
            .orElseThrow(
                () ->
                    ValidationException.body(
                        "actor_definition_id",
                        "unknown source definition",
                        "value_error.definition"));
    validator.validate(definition, config, ConfigValidator.Completeness.PARTIAL, CONFIG);
    forms.checkConsentCanFill(definition, config);
    Customization checked = check(customization);
    forms.check(definition, config, checked);
    TemplateStamp stamp =
        TemplateStamp.created(SourceTemplate.KIND, organizationId, clock.instant());
    SealedConfig sealed =
        secrets.seal(
            definition.connectionSpecification(),
            (ObjectNode) config,
            null,
            stamp.secretContext(),
            null,
            CONFIG);
    var template =
        new SourceTemplate(
            stamp,
            name == null || name.isBlank() ? definition.name() : name,
            definitionId,
            sealed,
            checked);
    repository.insert(template);
    templates.addTags(organizationId, stamp.id(), tagNames, stamp.createdAt());
    return templates.view(template);
  }

  public SourceTemplate get(UUID organizationId, UUID id) {
    return templates.get(organizationId, id);
  }

  /** Live templates carrying any or all of some tags, in the API's view. */
  public List<SourceTemplateView> page(
      UUID organizationId, List<String> tagFilter, TagMode mode, PageRequest page) {
    return templates.page(organizationId, tagFilter, mode, page);
  }

  /** Changes what is given; a new default configuration replaces the old, masked secrets kept. */
  @Transactional
  public SourceTemplateView update(
      UUID organizationId,
      UUID id,
      String name,
      JsonNode config,
      Customization customization,
      List<String> tagNames) {
    SourceTemplate current = get(organizationId, id);
    ConnectorDefinition definition = registry.source(current.actorDefinitionId());
    SealedConfig sealed = current.partialDefaultConfig();
    if (config != null) {
      validator.validate(definition, config, ConfigValidator.Completeness.PARTIAL, CONFIG);
      forms.checkConsentCanFill(definition, config);
      sealed =
          secrets.seal(
              definition.connectionSpecification(),
              (ObjectNode) config,
              current.partialDefaultConfig(),
              current.secretContext(),
              current.secretContext(),
              CONFIG);
    }
    Customization changed = customization == null ? current.customization() : check(customization);
    // a new default configuration may stop presetting a field the form hides
    forms.check(definition, sealed.masked(), changed);
    Instant now = clock.instant();
    var updated =
        new SourceTemplate(
            current.stamp().changed(now),
            name == null ? current.name() : name,
            current.actorDefinitionId(),
            sealed,
            changed);
    repository.update(updated);
    templates.replaceTags(organizationId, id, tagNames, now);
    return templates.view(organizationId, id);
  }

  private static Customization check(Customization customization) {
    if (customization == null) {
      return Customization.DEFAULT;
    }
    if (customization.streamSelectionMode() == Customization.StreamSelectionMode.WHITELIST
        && (customization.streamWhitelist() == null || customization.streamWhitelist().isEmpty())) {
      throw new ValidationException(
          List.of(
              new ValidationException.FieldError(
                  List.of("body", "customization", "stream_whitelist"),
                  "must name at least one stream when stream_selection_mode is whitelist",
                  "value_error.missing")));
    }
    if (customization.streamCustomizations() != null) {
      customization
          .streamCustomizations()
          .forEach(
              (stream, overrides) -> {
                if (overrides == null) {
                  return;
                }
                if (overrides.primaryKeyFields() != null
                    && overrides.primaryKeyFields().stream()
                        .anyMatch(
                            key ->
                                key == null
                                    || key.isEmpty()
                                    || key.stream().anyMatch(Objects::isNull))) {
                  throw overrideError(
                      stream, "primary_key_fields", "every primary key field is a non-empty path");
                }
                if (overrides.cursorField() != null
                    && overrides.cursorField().stream().anyMatch(Objects::isNull)) {
                  throw overrideError(
                      stream, "cursor_field", "the cursor field is a path of field names");
                }
              });
    }
    return customization;
  }

  private static ValidationException overrideError(String stream, String field, String msg) {
    return new ValidationException(
        List.of(
            new ValidationException.FieldError(
                List.of("body", "customization", "stream_customizations", stream, field),
                msg,
                "value_error")));
  }
}
