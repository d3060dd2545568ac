package io.tributary.connectiontemplate;

import io.tributary.common.ValidationException;
import io.tributary.definition.ConfigValidator;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorType;
import io.tributary.organization.OrganizationRepository;
import io.tributary.schedule.CronSchedule;
import io.tributary.secret.ConfigSecrets;
import io.tributary.secret.SealedConfig;
import io.tributary.settings.TributaryProperties;
import io.tributary.template.TaggedTemplates;
import io.tributary.template.TemplateCore;
import io.tributary.template.TemplateService;
import io.tributary.template.TemplateStamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Service
public class ConnectionTemplateService
    implements TemplateService<ConnectionTemplate, ConnectionTemplateView> {

  private static final String CONFIG = "destination_config";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final Set<String> PLACEHOLDERS =
      Set.of("WORKSPACE_NAME", "WORKSPACE_ID", "SOURCE_NAMESPACE");

  private final ConnectionTemplateRepository repository;
  private final TaggedTemplates<ConnectionTemplate, ConnectionTemplateView> templates;
  private final ConnectorRegistry registry;
  private final ConfigValidator validator;
  private final ConfigSecrets secrets;
  private final OrganizationRepository organizations;
  private final Duration defaultMinInterval;
  private final Clock clock;

  ConnectionTemplateService(
      ConnectionTemplateRepository repository,
      ConnectorRegistry registry,
      ConfigValidator validator,
      ConfigSecrets secrets,
      TemplateCore core,
      OrganizationRepository organizations,
      TributaryProperties properties,
      Clock clock) {
    this.repository = repository;
    this.templates = core.tagged(repository.store(), ConnectionTemplateView::of);
    this.registry = registry;
    this.validator = validator;
    this.secrets = secrets;
    this.organizations = organizations;
    this.defaultMinInterval = properties.minSyncInterval();
    this.clock = clock;
  }

  @Override
  public TaggedTemplates<ConnectionTemplate, ConnectionTemplateView> tagged() {
    return templates;
  }

  /**
   * What a create or update asks for; null fields are left as they are (or defaulted on create).
   */
  public record Changes(
      String destinationName,
      UUID destinationDefinitionId,
      JsonNode destinationConfig,
      String cronExpression,
      String cronTimeZone,
      NonBreakingChangesPreference nonBreakingChangesPreference,
      Boolean syncOnCreate,
      Boolean allowEndUserSync,
      String namespaceFormat,
      String prefix,
      List<String> tags) {}

  @Transactional
  public ConnectionTemplateView create(UUID organizationId, Changes c) {
    ConnectorDefinition definition =
        registry
            .findHeld(ConnectorType.DESTINATION, c.destinationDefinitionId())
            .orElseThrow(
                () ->
                    ValidationException.body(
                        "destination_definition_id",
                        "unknown destination definition",
                        "value_error.definition"));
    validator.validate(
        definition, c.destinationConfig(), ConfigValidator.Completeness.COMPLETE, CONFIG);
    String cron = blankToNull(c.cronExpression());
    String zone = c.cronTimeZone() == null ? "UTC" : c.cronTimeZone();
    checkSchedule(organizationId, cron, zone);
    String namespace =
        c.namespaceFormat() == null
            ? ConnectionTemplate.DEFAULT_NAMESPACE_FORMAT
            : checkNamespace(c.namespaceFormat());
    TemplateStamp stamp =
        TemplateStamp.created(ConnectionTemplate.KIND, organizationId, clock.instant());
    SealedConfig sealed =
        secrets.seal(
            definition.connectionSpecification(),
            (ObjectNode) c.destinationConfig(),
            null,
            stamp.secretContext(),
            null,
            CONFIG);
    var template =
        new ConnectionTemplate(
            stamp,
            definition.definitionId(),
            c.destinationName(),
            sealed,
            cron,
            zone,
            c.nonBreakingChangesPreference() == null
                ? NonBreakingChangesPreference.IGNORE
                : c.nonBreakingChangesPreference(),
            c.syncOnCreate() == null || c.syncOnCreate(),
            Boolean.TRUE.equals(c.allowEndUserSync()),
            namespace,
            c.prefix() == null ? "" : c.prefix());
    repository.insert(template);
    templates.addTags(organizationId, stamp.id(), c.tags(), stamp.createdAt());
    return templates.view(template);
  }

  /**
   * Applies the given changes; an empty {@code cron_expression} removes the schedule (manual syncs
   * only).
   */
  @Transactional
  public ConnectionTemplateView update(UUID organizationId, UUID id, Changes c) {
    ConnectionTemplate current = templates.get(organizationId, id);
    ConnectorDefinition definition = registry.destination(current.destinationDefinitionId());
    if (c.destinationDefinitionId() != null
        && !c.destinationDefinitionId().equals(current.destinationDefinitionId())) {
      throw ValidationException.body(
          "destination_definition_id",
          "a template's destination type cannot change; create a new template",
          "value_error.immutable");
    }
    SealedConfig sealed = current.destinationConfig();
    if (c.destinationConfig() != null) {
      validator.validate(
          definition, c.destinationConfig(), ConfigValidator.Completeness.COMPLETE, CONFIG);
      sealed =
          secrets.seal(
              definition.connectionSpecification(),
              (ObjectNode) c.destinationConfig(),
              current.destinationConfig(),
              current.secretContext(),
              current.secretContext(),
              CONFIG);
    }
    String cron =
        c.cronExpression() == null ? current.cronExpression() : blankToNull(c.cronExpression());
    String zone = c.cronTimeZone() == null ? current.cronTimeZone() : c.cronTimeZone();
    checkSchedule(organizationId, cron, zone);
    Instant now = clock.instant();
    var updated =
        new ConnectionTemplate(
            current.stamp().changed(now),
            current.destinationDefinitionId(),
            c.destinationName() == null ? current.destinationName() : c.destinationName(),
            sealed,
            cron,
            zone,
            c.nonBreakingChangesPreference() == null
                ? current.nonBreakingChangesPreference()
                : c.nonBreakingChangesPreference(),
            c.syncOnCreate() == null ? current.syncOnCreate() : c.syncOnCreate(),
            c.allowEndUserSync() == null ? current.allowEndUserSync() : c.allowEndUserSync(),
            c.namespaceFormat() == null
                ? current.namespaceFormat()
                : checkNamespace(c.namespaceFormat()),
            c.prefix() == null ? current.prefix() : c.prefix());
    repository.update(updated);
    templates.replaceTags(organizationId, id, c.tags(), now);
    return templates.view(organizationId, id);
  }

  /** The shortest time between two syncs of one connection the organization allows. */
  public Duration minimumInterval(UUID organizationId) {
    return organizations
        .findById(organizationId)
        .map(o -> o.minSyncIntervalSeconds())
        .map(Duration::ofSeconds)
        .orElse(defaultMinInterval);
  }

  /**
   * Valid Quartz syntax, a known time zone, and no faster than the organization's minimum interval.
   */
  public void checkSchedule(UUID organizationId, String cron, String zone) {
    CronSchedule schedule;
    Optional<Duration> shortest;
    try {
      if (cron == null) {
        CronSchedule.zone(zone);
        return;
      }
      schedule = CronSchedule.parse(cron, zone);
      shortest = schedule.shortestInterval(clock.instant());
    } catch (CronSchedule.InvalidScheduleException e) {
      throw ValidationException.body(e.field(), e.getMessage(), "value_error.cron");
    }
    Duration floor = minimumInterval(organizationId);
    shortest
        .filter(gap -> gap.compareTo(floor) < 0)
        .ifPresent(
            gap -> {
              throw ValidationException.body(
                  "cron_expression",
                  "runs every "
                      + human(gap)
                      + "; the minimum interval between syncs is "
                      + human(floor),
                  "value_error.cron.too_frequent");
            });
  }

  private static String checkNamespace(String format) {
    Matcher matcher = PLACEHOLDER.matcher(format);
    while (matcher.find()) {
      if (!PLACEHOLDERS.contains(matcher.group(1))) {
        throw ValidationException.body(
            "namespace_format",
            "unknown placeholder ${"
                + matcher.group(1)
                + "}; use ${WORKSPACE_NAME}, ${WORKSPACE_ID} or ${SOURCE_NAMESPACE}",
            "value_error.namespace");
      }
    }
    return format;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String human(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + (seconds == 60 ? " minute" : " minutes");
    }
    return seconds + (seconds == 1 ? " second" : " seconds");
  }
}
