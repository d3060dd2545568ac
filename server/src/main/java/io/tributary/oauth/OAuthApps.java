package io.tributary.oauth;

import io.tributary.common.NotFoundException;
import io.tributary.common.RefusedException;
import io.tributary.common.ValidationException;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.secret.ConfigSecrets;
import io.tributary.secret.SealedConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operators' OAuth apps, one per organization and connector: self-hosted, there is no vendor
 * app, so each operator registers its own at the provider and gives Tributary the client id and
 * secret. They reach a connector only at run time, at the places the connector's flow names; a
 * source never stores them, so a rotated client secret applies to every source at once.
 */
@Service
public class OAuthApps {

  private static final String FIELD = "configuration";

  private final OAuthAppRepository apps;
  private final ConnectorRegistry registry;
  private final ConfigSecrets secrets;
  private final Clock clock;

  OAuthApps(
      OAuthAppRepository apps, ConnectorRegistry registry, ConfigSecrets secrets, Clock clock) {
    this.apps = apps;
    this.registry = registry;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** An app as the API shows it: everything but the client id masked. */
  public record AppView(
      UUID definitionId, JsonNode configuration, Instant createdAt, Instant updatedAt) {}

  /** What an app for a connector needs, for an operator about to register one. */
  public record AppSpec(UUID definitionId, JsonNode serverInputSpecification) {}

  public AppView save(UUID organizationId, UUID definitionId, ObjectNode configuration) {
    ConnectorDefinition definition = registry.source(definitionId);
    OAuthFlow flow = flow(definition);
    if (configuration == null) {
      throw ValidationException.field(FIELD, "field required", "value_error.missing");
    }
    Optional<OAuthApp> previous = apps.find(organizationId, definitionId);
    String context = OAuthApp.secretContext(organizationId, definitionId);
    SealedConfig sealed =
        secrets.seal(
            schema(flow, configuration),
            configuration,
            previous.map(OAuthApp::configuration).orElse(null),
            context,
            context,
            FIELD);
    ObjectNode opened = secrets.open(sealed, context);
    List<ValidationException.Violation> missing = new ArrayList<>();
    for (String input : flow.serverInputs()) {
      if (!opened.path(input).isString() || opened.path(input).asString().isBlank()) {
        missing.add(
            new ValidationException.Violation(
                List.of(FIELD, input), "field required", "value_error.missing"));
      }
    }
    if (!missing.isEmpty()) {
      throw ValidationException.of(missing);
    }
    apps.save(organizationId, definitionId, sealed, clock.instant());
    return view(apps.find(organizationId, definitionId).orElseThrow());
  }

  public List<AppView> list(UUID organizationId) {
    return apps.all(organizationId).stream().map(OAuthApps::view).toList();
  }

  public void delete(UUID organizationId, UUID definitionId) {
    if (!apps.delete(organizationId, definitionId)) {
      throw new NotFoundException("OAuth app", definitionId);
    }
  }

  public AppSpec spec(UUID definitionId) {
    OAuthFlow flow = flow(registry.source(definitionId));
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    schema.putArray("required").addAll(flow.serverInputs().stream().map(this::text).toList());
    ObjectNode properties = schema.putObject("properties");
    for (String input : flow.serverInputs()) {
      properties
          .putObject(input)
          .put("type", "string")
          .put("airbyte_secret", !"client_id".equals(input));
    }
    return new AppSpec(definitionId, schema);
  }

  /** The connector's OAuth flow; refused for a connector that declares none. */
  public OAuthFlow flow(ConnectorDefinition definition) {
    return OAuthFlow.of(definition.spec())
        .orElseThrow(
            () ->
                new RefusedException(
                    definition.name()
                        + " declares no OAuth 2.0 flow (advanced_auth in its spec) to connect with"));
  }

  /**
   * The configuration a connector runs with: the organization's app (client id, secret) put where
   * the flow says, when the configuration chose OAuth and the organization has an app. Other
   * configurations come back as they were.
   */
  public ObjectNode withServerOutputs(
      UUID organizationId, ConnectorDefinition definition, ObjectNode config) {
    Optional<OAuthFlow> flow = OAuthFlow.of(definition.spec());
    if (flow.isEmpty() || !chose(flow.get(), config)) {
      return config;
    }
    Optional<ObjectNode> app = open(organizationId, definition.definitionId());
    if (app.isEmpty()) {
      return config;
    }
    ObjectNode out = config.deepCopy();
    flow.get()
        .serverOutputs()
        .forEach(
            (name, path) -> {
              if (app.get().has(name)) {
                ConfigPath.set(out, path, app.get().get(name));
              }
            });
    return out;
  }

  /**
   * What keeps the organization's app out of a configuration: a value of the source's own part (not
   * the template's) that decides which host receives the client secret ({@link TokenHost}). Empty
   * when the configuration does not use the organization's app.
   *
   * @param ownPart the part the source's creator typed, without the template's
   * @return the offending values, each by its place in the configuration
   */
  public List<ValidationException.Violation> secretHostViolations(
      UUID organizationId, ConnectorDefinition definition, ObjectNode config, ObjectNode ownPart) {
    Optional<OAuthFlow> flow = OAuthFlow.of(definition.spec());
    if (flow.isEmpty()
        || !chose(flow.get(), config)
        || apps.find(organizationId, definition.definitionId()).isEmpty()) {
      return List.of();
    }
    List<ValidationException.Violation> violations = new ArrayList<>();
    flow.get()
        .userInputs()
        .forEach(
            (name, path) -> {
              JsonNode value = ConfigPath.get(ownPart, path);
              if (value != null && value.isValueNode()) {
                TokenHost.refusal(flow.get(), name, value.asString())
                    .ifPresent(
                        why ->
                            violations.add(
                                new ValidationException.Violation(
                                    List.copyOf(path), why, "value_error.oauth_host")));
              }
            });
    return violations;
  }

  /**
   * A configuration without the app's parts: what a connector hands back (a CONTROL message) holds
   * them, and a source never stores them.
   */
  public ObjectNode withoutServerOutputs(ConnectorDefinition definition, ObjectNode config) {
    Optional<OAuthFlow> flow = OAuthFlow.of(definition.spec());
    if (flow.isEmpty() || !chose(flow.get(), config)) {
      return config;
    }
    ObjectNode out = config.deepCopy();
    flow.get().serverOutputs().values().forEach(path -> ConfigPath.remove(out, path));
    return out;
  }

  /** Whether a configuration authenticates by the flow (its predicate holds, when it has one). */
  static boolean chose(OAuthFlow flow, JsonNode config) {
    if (flow.predicateKey().isEmpty() || flow.predicateValue() == null) {
      return true;
    }
    return flow.predicateValue().equals(ConfigPath.get(config, flow.predicateKey()));
  }

  Optional<ObjectNode> open(UUID organizationId, UUID definitionId) {
    return apps.find(organizationId, definitionId)
        .map(
            app ->
                secrets.open(
                    app.configuration(), OAuthApp.secretContext(organizationId, definitionId)));
  }

  /** The app's fields as a spec ConfigSecrets understands: all but the client id are secret. */
  private static ObjectNode schema(OAuthFlow flow, ObjectNode configuration) {
    Set<String> fields = new LinkedHashSet<>(flow.serverInputs());
    fields.addAll(configuration.propertyNames());
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    for (String field : fields) {
      properties.putObject(field).put("airbyte_secret", !"client_id".equals(field));
    }
    return schema;
  }

  private static AppView view(OAuthApp app) {
    return new AppView(
        app.definitionId(), app.configuration().masked(), app.createdAt(), app.updatedAt());
  }

  private JsonNode text(String value) {
    return JsonNodeFactory.instance.stringNode(value);
  }
}
