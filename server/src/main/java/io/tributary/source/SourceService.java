package io.tributary.source;

import io.tributary.auth.Caller;
import io.tributary.auth.TagMode;
import io.tributary.auth.TenantScope;
import io.tributary.auth.WidgetScope;
import io.tributary.common.ConflictException;
import io.tributary.common.DeadlockRetry;
import io.tributary.common.ForbiddenException;
import io.tributary.common.NotFoundException;
import io.tributary.common.PageRequest;
import io.tributary.common.UnauthorizedException;
import io.tributary.common.ValidationException;
import io.tributary.connection.ConnectionRepository;
import io.tributary.connection.ConnectionWiring;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.Source;
import io.tributary.definition.ConfigValidator;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.event.EventLog;
import io.tributary.job.JobQueue;
import io.tributary.oauth.OAuthApps;
import io.tributary.oauth.OAuthConsents;
import io.tributary.oauth.OAuthFlow;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.secret.ConfigSecrets;
import io.tributary.secret.SealedConfig;
import io.tributary.sourcetemplate.Customization;
import io.tributary.sourcetemplate.SourceTemplate;
import io.tributary.sourcetemplate.SourceTemplateRepository;
import io.tributary.workspace.Workspace;
import io.tributary.workspace.WorkspaceRepository;
import io.tributary.workspace.WorkspaceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * End users' sources: the template's defaults merged with the user's part of the configuration,
 * validated against the connector's spec, checked by the connector, stored with secrets sealed, and
 * wired to the organization's destinations through the applicable connection templates.
 */
@Service
public class SourceService {

  private static final String CONFIG_FIELD = "source_config";

  /** source-file's path or URL of the file it reads. */
  private static final String FILE_URL = "url";

  private static final Logger log = LoggerFactory.getLogger(SourceService.class);

  private final SourceRepository sources;
  private final SourceTemplateRepository templates;
  private final WorkspaceRepository workspaces;
  private final ConnectorRegistry registry;
  private final ConfigValidator validator;
  private final ConfigSecrets secrets;
  private final NewSourceCatalog catalogs;
  private final ConnectionWiring wiring;
  private final ConnectionRepository connections;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final Duration checkTimeout;
  private final Duration discoverTimeout;
  private final OAuthApps oauthApps;
  private final OAuthConsents consents;
  private final EventLog events;
  private final JobQueue jobs;

  SourceService(
      SourceRepository sources,
      SourceTemplateRepository templates,
      WorkspaceRepository workspaces,
      ConnectorRegistry registry,
      ConfigValidator validator,
      ConfigSecrets secrets,
      NewSourceCatalog catalogs,
      ConnectionWiring wiring,
      ConnectionRepository connections,
      TransactionTemplate transaction,
      Clock clock,
      OAuthApps oauthApps,
      OAuthConsents consents,
      EventLog events,
      JobQueue jobs,
      @Value("${tributary.check-timeout:60s}") Duration checkTimeout,
      @Value("${tributary.discover-timeout:5m}") Duration discoverTimeout) {
    this.sources = sources;
    this.templates = templates;
    this.workspaces = workspaces;
    this.registry = registry;
    this.validator = validator;
    this.secrets = secrets;
    this.catalogs = catalogs;
    this.wiring = wiring;
    this.connections = connections;
    this.transaction = transaction;
    this.clock = clock;
    this.checkTimeout = checkTimeout;
    this.discoverTimeout = discoverTimeout;
    this.oauthApps = oauthApps;
    this.consents = consents;
    this.events = events;
    this.jobs = jobs;
  }

  /**
   * What a new source is made of. Tag filters null mean: the widget token's, else every connection
   * template.
   *
   * @param secretId what an OAuth consent obtained (its tokens), or null
   */
  public record NewSource(
      UUID workspaceId,
      String name,
      UUID sourceTemplateId,
      ObjectNode sourceConfig,
      String secretId,
      List<String> connectionTemplateTags,
      TagMode connectionTemplateTagsMode) {}

  public SourceView create(Caller caller, NewSource request) {
    Workspace workspace = workspace(caller, request.workspaceId());
    if (workspace.status() == WorkspaceStatus.INACTIVE) {
      throw new ConflictException("Workspace is inactive");
    }
    SourceTemplate template =
        templates
            .findLive(caller.organizationId(), request.sourceTemplateId())
            .filter(t -> visible(caller, t))
            .orElseThrow(
                () -> new NotFoundException("Source template", request.sourceTemplateId()));
    List<String> tags = request.connectionTemplateTags();
    TagMode mode = request.connectionTemplateTagsMode();
    if (caller.widgetScope().isPresent()) {
      var widget = caller.widgetScope().get();
      if (tags == null) {
        tags = widget.connectionTemplateTags();
        mode = widget.connectionTemplateTagsMode();
      } else if (!widget.connectionTemplateTags().isEmpty()
          && !(Set.copyOf(tags).equals(Set.copyOf(widget.connectionTemplateTags()))
              && (mode == null ? TagMode.ANY : mode) == widget.connectionTemplateTagsMode())) {
        // the operator's token chose where this end user's data may go; the end user may not pick
        // other destinations
        throw new ForbiddenException();
      }
    }
    ConnectorDefinition definition = registry.source(template.actorDefinitionId());
    ObjectNode userPart =
        request.sourceConfig() == null ? secretsFreeEmpty() : request.sourceConfig();
    ObjectNode obtained = null;
    if (request.secretId() != null) {
      obtained =
          consents.peek(
              request.secretId(),
              caller.organizationId(),
              workspace.id(),
              definition.definitionId(),
              null);
      userPart = withObtained(template, userPart, obtained);
    }
    refuseLocalFileChosenByEndUser(caller, template, userPart, null);
    ObjectNode effective = effective(template, userPart, CONFIG_FIELD);
    // a connector that refreshes a rotating token on the way leaves only the new one usable: the
    // consent keeps it too, should the source not be stored in the end
    AtomicReference<ObjectNode> replaced = new AtomicReference<>();
    Consumer<ObjectNode> rotated =
        keptInConsent(request.secretId(), obtained).andThen(replaced::set);
    check(definition, caller.organizationId(), effective, rotated);
    AirbyteCatalog catalog =
        discover(
            definition,
            caller.organizationId(),
            replaced.get() == null ? effective : replaced.get(),
            rotated);
    if (replaced.get() != null) {
      userPart = userPartOf(template, definition, replaced.get());
    }

    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    SealedConfig sealed =
        secrets.seal(
            sealingSpec(definition),
            userPart,
            null,
            SourceRecord.secretContext(id),
            null,
            CONFIG_FIELD);
    String name =
        request.name() == null || request.name().isBlank() ? template.name() : request.name();
    var source =
        new SourceRecord(
            id,
            caller.organizationId(),
            workspace.id(),
            template.id(),
            definition.definitionId(),
            name,
            sealed,
            now,
            now,
            true);
    List<String> filter = tags;
    TagMode filterMode = mode;
    List<UUID> created =
        transaction.execute(
            status -> {
              if (!templates.store().hold(caller.organizationId(), template.id())) {
                throw new NotFoundException("Source template", template.id());
              }
              if (request.secretId() != null) {
                consents.take(request.secretId());
              }
              sources.insert(source);
              sources.saveConnectionFilter(
                  id,
                  filter,
                  filter == null ? null : (filterMode == null ? TagMode.ANY : filterMode).value());
              catalogs.save(id, catalog, selectStreams(template, definition, catalog), now);
              List<UUID> wired =
                  wiring.wire(caller.organizationId(), workspace.id(), id, filter, filterMode, now);
              recordEvent(source, "source.created", eventData(source, wired));
              return wired;
            });
    return SourceView.of(source, created);
  }

  public SourceView view(Caller caller, UUID id) {
    SourceRecord source = access(caller, id);
    return SourceView.of(source, connections.connectionIdsOfSource(source.id()));
  }

  public List<SourceView> page(Caller caller, UUID workspaceId, PageRequest page) {
    List<SourceRecord> found = sources.page(TenantScope.of(caller).narrowedTo(workspaceId), page);
    Map<UUID, List<UUID>> wired =
        connections.connectionIdsOfSources(found.stream().map(SourceRecord::id).toList());
    return found.stream().map(s -> SourceView.of(s, wired.get(s.id()))).toList();
  }

  /**
   * Renames and/or replaces the user's configuration; masked secrets are kept, a changed
   * configuration is re-checked. With {@code secretId} the source reconnects in place: the tokens
   * of a new OAuth consent replace its old ones, and the connections its refused credentials paused
   * run again, from their saved state.
   */
  public SourceView update(
      Caller caller, UUID id, String name, ObjectNode sourceConfig, String secretId) {
    SourceRecord current = access(caller, id);
    SealedConfig sealed = current.config();
    if (secretId != null) {
      ObjectNode obtained =
          consents.peek(
              secretId,
              current.organizationId(),
              current.workspaceId(),
              current.definitionId(),
              current.id());
      sourceConfig =
          withObtained(
              template(current),
              sourceConfig == null ? current.config().masked() : sourceConfig,
              obtained);
    }
    if (sourceConfig != null) {
      SourceTemplate template = template(current);
      ConnectorDefinition definition = registry.source(current.definitionId());
      if (secretId == null) {
        ObjectNode edit = sourceConfig;
        sourceConfig =
            OAuthFlow.of(definition.spec())
                .map(flow -> flow.keepingConsentFields(edit, current.config().masked()))
                .orElse(edit);
      }
      sealed =
          secrets.seal(
              sealingSpec(definition),
              sourceConfig,
              current.config(),
              current.secretContext(),
              current.secretContext(),
              CONFIG_FIELD);
      ObjectNode userPart = secrets.open(sealed, current.secretContext());
      refuseLocalFileChosenByEndUser(
          caller, template, userPart, secrets.open(current.config(), current.secretContext()));
      ObjectNode effective = effective(template, userPart, CONFIG_FIELD);
      if (secretId != null
          || !userPart.equals(secrets.open(current.config(), current.secretContext()))) {
        AtomicReference<ObjectNode> replaced = new AtomicReference<>();
        check(definition, current.organizationId(), effective, replaced::set);
        if (replaced.get() != null) {
          sealed =
              secrets.seal(
                  sealingSpec(definition),
                  userPartOf(template, definition, replaced.get()),
                  null,
                  current.secretContext(),
                  null,
                  CONFIG_FIELD);
        }
      }
    }
    Instant now = clock.instant();
    String newName = name == null ? current.name() : name;
    SealedConfig edited = sealed;
    AtomicReference<SourceRecord> stored = new AtomicReference<>();
    boolean reconnected =
        transaction.execute(
            status -> {
              if (secretId != null) {
                consents.take(secretId);
              }
              SourceRecord changed = editedOnto(current, edited, newName, now);
              sources.update(changed);
              stored.set(changed);
              recordEvent(
                  changed,
                  "source.updated",
                  eventData(changed, connections.connectionIdsOfSource(id)));
              return secretId != null && reconnect(current, now);
            });
    SourceRecord updated = reconnected ? access(caller, id) : stored.get();
    return SourceView.of(updated, connections.connectionIdsOfSource(id));
  }

  /**
   * The source as an edit leaves it, read again under a lock: what changed since the edit read it
   * (a token a sync rotated while the edit's check ran) is kept, except where the edit changed the
   * same field (a reconnect's new tokens win). A source deleted meanwhile is not found.
   */
  private SourceRecord editedOnto(
      SourceRecord read, SealedConfig edited, String name, Instant now) {
    SourceRecord latest =
        sources.lockLive(read.id()).orElseThrow(() -> new NotFoundException("Source", read.id()));
    if (latest.updatedAt().equals(read.updatedAt()) || edited == read.config()) {
      return latest.withConfig(name, edited == read.config() ? latest.config() : edited, now);
    }
    ObjectNode onto = secrets.open(latest.config(), latest.secretContext());
    ConfigChanges.apply(
        onto,
        secrets.open(read.config(), read.secretContext()),
        secrets.open(edited, read.secretContext()),
        ConfigChanges.Conflict.CHANGE_WINS);
    SealedConfig merged =
        secrets.seal(
            sealingSpec(registry.source(latest.definitionId())),
            onto,
            null,
            latest.secretContext(),
            null,
            CONFIG_FIELD);
    return latest.withConfig(name, merged, now);
  }

  /**
   * Where a configuration the connector rotated while using a consent's tokens goes before a source
   * holds them: back into the consent, since the provider may honour only the new ones.
   */
  private Consumer<ObjectNode> keptInConsent(String secretId, ObjectNode obtained) {
    return secretId == null
        ? config -> {}
        : config ->
            transaction.executeWithoutResult(
                status -> consents.keepRotated(secretId, obtained, config));
  }

  /**
   * The user's part with what an OAuth consent obtained merged in; the values the consent took from
   * the template (e.g. the provider's URL) stay the template's.
   */
  private static ObjectNode withObtained(
      SourceTemplate template, ObjectNode userPart, ObjectNode obtained) {
    ObjectNode own = obtained.deepCopy();
    template.partialDefaultConfig().masked().propertyNames().forEach(own::remove);
    return OAuthConsents.merged(userPart, own);
  }

  private void recordEvent(SourceRecord source, String type, ObjectNode data) {
    events.record(source.organizationId(), source.workspaceId(), type, data);
  }

  /** What events about a source say: ids and name, never its configuration. */
  private static ObjectNode eventData(SourceRecord source, List<UUID> connectionIds) {
    ObjectNode data = secretsFreeEmpty();
    data.put("source_id", source.id().toString())
        .put("workspace_id", source.workspaceId().toString())
        .put("name", source.name())
        .put("source_template_id", source.sourceTemplateId().toString())
        .put("source_definition_id", source.definitionId().toString());
    var ids = data.putArray("connection_ids");
    connectionIds.forEach(c -> ids.add(c.toString()));
    return data;
  }

  /** Credentials the provider honours again: the connections their refusal paused resume. */
  private boolean reconnect(SourceRecord source, Instant now) {
    if (!sources.setCredentialsValid(source.id(), true, now)) {
      return false;
    }
    connections.resumeAfterCredentials(source.id(), now);
    return true;
  }

  /**
   * Whether a configuration error a source's connector reported means its provider refused the
   * credentials an OAuth consent gave it (a refresh token revoked or expired, a 401); if so the
   * source is marked as {@link #credentialsRefused(SourceRecord, String) refused}.
   */
  public boolean credentialsRefused(SourceRecord source, String message) {
    if (message == null || !CredentialsRefusal.means(message)) {
      return false;
    }
    ConnectorDefinition definition = registry.source(source.definitionId());
    if (OAuthFlow.of(definition.spec()).isEmpty()) {
      return false;
    }
    markCredentialsInvalid(source, message);
    return true;
  }

  /**
   * The provider refused the source's credentials (an OAuth grant revoked or expired, a 401): the
   * source reads {@code credentials_status: invalid}, its active connections pause, and the
   * operator is told by a {@code source.credentials_invalid} event, all in one transaction. Nothing
   * changes when the source was marked already.
   *
   * @param reason what the connector said, for the event (never a secret: connectors' messages are
   *     scrubbed)
   */
  private void markCredentialsInvalid(SourceRecord source, String reason) {
    Instant now = clock.instant();
    transaction.executeWithoutResult(
        status -> {
          if (!sources.setCredentialsValid(source.id(), false, now)) {
            return;
          }
          List<UUID> paused = connections.pauseForCredentials(source.id(), now);
          var data = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
          data.put("source_id", source.id().toString())
              .put("workspace_id", source.workspaceId().toString())
              .put("source_definition_id", source.definitionId().toString())
              .put("reason", reason);
          data.putArray("paused_connection_ids")
              .addAll(
                  paused.stream()
                      .map(
                          p ->
                              (tools.jackson.databind.JsonNode)
                                  tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(
                                      p.toString()))
                      .toList());
          recordEvent(source, "source.credentials_invalid", data);
          for (UUID connection : paused) {
            connections.paused(
                source.organizationId(),
                source.workspaceId(),
                connection,
                source.id(),
                "credentials_invalid");
          }
        });
  }

  /**
   * Starts an OAuth consent for a new source of the template.
   *
   * @param input values the connector's flow needs from the end user (e.g. a subdomain)
   * @return the provider's consent URL
   */
  public String initiateOAuth(
      Caller caller,
      UUID workspaceId,
      UUID templateId,
      String redirectUrl,
      ObjectNode input,
      String callbackUrl) {
    Workspace workspace = workspace(caller, workspaceId);
    SourceTemplate template =
        templates
            .findLive(caller.organizationId(), templateId)
            .filter(t -> visible(caller, t))
            .orElseThrow(() -> new NotFoundException("Source template", templateId));
    ObjectNode fixed = secrets.open(template.partialDefaultConfig(), template.secretContext());
    ObjectNode config = fixed.deepCopy();
    if (input != null) {
      // the template's choices stand: the end user's input only fills what it leaves open
      input
          .properties()
          .forEach(
              e -> {
                if (!config.has(e.getKey())) {
                  config.set(e.getKey(), e.getValue());
                }
              });
    }
    return consents.initiate(
        new OAuthConsents.ConsentRequest(
            caller.organizationId(),
            workspace.id(),
            registry.source(template.actorDefinitionId()),
            template.id(),
            null,
            config,
            fixed,
            redirectUrl,
            allowedOrigin(caller),
            caller.isOperator(),
            callbackUrl));
  }

  /**
   * Starts an OAuth consent that reconnects the source in place: the same source, connections and
   * state, with new tokens once the end user sends the secret id back (PUT).
   */
  public String reconnectOAuth(Caller caller, UUID id, String redirectUrl, String callbackUrl) {
    SourceRecord source = access(caller, id);
    return consents.initiate(
        new OAuthConsents.ConsentRequest(
            source.organizationId(),
            source.workspaceId(),
            registry.source(source.definitionId()),
            null,
            source.id(),
            effectiveConfig(source),
            secrets.open(template(source).partialDefaultConfig(), template(source).secretContext()),
            redirectUrl,
            allowedOrigin(caller),
            caller.isOperator(),
            callbackUrl));
  }

  private static String allowedOrigin(Caller caller) {
    return caller.widgetScope().map(WidgetScope::allowedOrigin).orElse(null);
  }

  /** Removes the source and its connections; data already in destinations stays. */
  public Instant delete(Caller caller, UUID id) {
    SourceRecord source = access(caller, id);
    Instant now = clock.instant();
    return DeadlockRetry.inTransaction(
        transaction,
        "Deleting source " + source.id(),
        () -> {
          jobs.cancelSyncsOf(connections.connectionIdsOfSource(source.id()));
          sources.softDelete(source.id(), now);
          List<UUID> removed = connections.softDeleteOfSource(source.id(), now);
          recordEvent(source, "source.deleted", eventData(source, removed));
          return now;
        });
  }

  /**
   * Checks a configuration before it is saved. With {@code sourceId} it is an edit of that source:
   * the secrets it leaves masked, and the fields its OAuth consent filled, are the source's, and a
   * token the connector rotates is stored onto the source.
   */
  public ConnectionStatus checkUnsaved(
      Caller caller,
      UUID workspaceId,
      UUID templateId,
      ObjectNode sourceConfig,
      String secretId,
      UUID sourceId) {
    SourceTemplate template =
        templates
            .findLive(caller.organizationId(), templateId)
            .filter(t -> visible(caller, t))
            .orElseThrow(() -> new NotFoundException("Source template", templateId));
    ConnectorDefinition definition = registry.source(template.actorDefinitionId());
    ObjectNode userPart = sourceConfig == null ? secretsFreeEmpty() : sourceConfig;
    SourceRecord saved = sourceId == null ? null : access(caller, sourceId);
    if (saved != null && !saved.sourceTemplateId().equals(templateId)) {
      throw ValidationException.body(
          "source_id", "the source was made from another template", "value_error.template");
    }
    if (saved != null && secretId == null) {
      ObjectNode edit = userPart;
      userPart =
          secrets.open(
              secrets.seal(
                  sealingSpec(definition),
                  OAuthFlow.of(definition.spec())
                      .map(flow -> flow.keepingConsentFields(edit, saved.config().masked()))
                      .orElse(edit),
                  saved.config(),
                  saved.secretContext(),
                  saved.secretContext(),
                  CONFIG_FIELD),
              saved.secretContext());
      refuseLocalFileChosenByEndUser(
          caller, template, userPart, secrets.open(saved.config(), saved.secretContext()));
      ObjectNode effective = effective(template, userPart, CONFIG_FIELD);
      return ConnectorCalls.within(
          checkTimeout,
          "The connection check",
          () -> connector(saved).check(effective, storesReplacedConfig(saved, effective)));
    }
    ObjectNode obtained = null;
    if (secretId != null) {
      obtained =
          consents.peek(
              secretId,
              caller.organizationId(),
              workspace(caller, workspaceId).id(),
              definition.definitionId(),
              null);
      userPart = withObtained(template, userPart, obtained);
    }
    refuseLocalFileChosenByEndUser(caller, template, userPart, null);
    ObjectNode effective = effective(template, userPart, CONFIG_FIELD);
    Consumer<ObjectNode> keepsRotation = keptInConsent(secretId, obtained);
    return ConnectorCalls.within(
        checkTimeout,
        "The connection check",
        () ->
            registry
                .sourceConnector(definition, caller.organizationId())
                .check(effective, keepsRotation));
  }

  public ConnectionStatus checkSaved(Caller caller, UUID id) {
    return check(access(caller, id));
  }

  /**
   * Checks a saved source; a configuration its connector replaced on the way (a refreshed token) is
   * stored at once. A refusal of its credentials marks it, unless a sync of it is running or
   * something else stored the source meanwhile: that sync may have refreshed a single-use token,
   * stored since or not yet, and it reports a real refusal itself. Credentials the check shows
   * working again resume what their refusal paused.
   */
  ConnectionStatus check(SourceRecord source) {
    ObjectNode effective = effectiveConfig(source);
    Consumer<ObjectNode> store = storesReplacedConfig(source, effective);
    // a token this check refreshed itself was no stale one: its refusal is the provider's word
    AtomicBoolean refreshedHere = new AtomicBoolean();
    ConnectionStatus status =
        ConnectorCalls.within(
            checkTimeout,
            "The connection check",
            () ->
                connector(source)
                    .check(effective, store.andThen(replaced -> refreshedHere.set(true))));
    if (status.ok()) {
      if (!source.credentialsValid()) {
        transaction.executeWithoutResult(tx -> reconnect(source, clock.instant()));
      }
    } else if (sources.syncing(source.id())
        || (!refreshedHere.get() && storedSince(source))
        || !credentialsRefused(source, status.message())) {
      transaction.executeWithoutResult(
          tx ->
              recordEvent(
                  source,
                  "source.check_failed",
                  eventData(source, connections.connectionIdsOfSource(source.id()))
                      .put("message", status.message())));
    }
    return status;
  }

  /** Whether the source was changed, or deleted, after {@code source} was read. */
  private boolean storedSince(SourceRecord source) {
    return sources
        .findLive(TenantScope.wholeOrganization(source.organizationId()), source.id())
        .map(now -> !now.updatedAt().equals(source.updatedAt()))
        .orElse(true);
  }

  /**
   * A source the caller may see: in its organization, and for an end user in its own workspace;
   * else 404.
   */
  public SourceRecord access(Caller caller, UUID id) {
    return sources
        .findLive(TenantScope.of(caller), id)
        .orElseThrow(() -> new NotFoundException("Source", id));
  }

  /**
   * The configuration the connector runs with: the template's defaults and the user's part, secrets
   * included.
   */
  public ObjectNode effectiveConfig(SourceRecord source) {
    SourceTemplate template = template(source);
    ObjectNode merged = secrets.open(template.partialDefaultConfig(), template.secretContext());
    ObjectNode own = secrets.open(source.config(), source.secretContext());
    // the operator's values are enforced, also over one the user saved before the template set it
    merged.propertyNames().forEach(own::remove);
    own.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
    ConnectorDefinition definition = registry.source(source.definitionId());
    List<ValidationException.Violation> hosts =
        oauthApps.secretHostViolations(source.organizationId(), definition, merged, own);
    if (!hosts.isEmpty()) {
      // saved before the organization registered its app: the app's secret must not follow
      log.warn(
          "Source {} sets {} itself, which decides where the OAuth client secret goes; it runs"
              + " without the organization's OAuth app",
          source.id(),
          hosts.stream().map(h -> h.field().getLast()).toList());
      return merged;
    }
    return oauthApps.withServerOutputs(source.organizationId(), definition, merged);
  }

  /**
   * Stores the configuration the source's connector replaced its own with during a sync (Airbyte's
   * CONTROL {@code connectorConfig}, e.g. a rotated OAuth refresh token): what differs from the
   * template's defaults becomes the source's part, sealed like any other. Called inside the
   * transaction that stores the state checkpoint following the change, so both land or neither.
   */
  private void storeConnectorConfig(SourceRecord source, ObjectNode config) {
    ConnectorDefinition definition = registry.source(source.definitionId());
    SourceTemplate template = template(source);
    ObjectNode defaults = secrets.open(template.partialDefaultConfig(), template.secretContext());
    List<String> overridden =
        defaults.propertyNames().stream()
            .filter(field -> config.has(field) && !config.get(field).equals(defaults.get(field)))
            .toList();
    if (!overridden.isEmpty()) {
      log.warn(
          "Source {}: its connector changed {}, which the source template sets; the template's"
              + " values stay",
          source.id(),
          overridden);
    }
    SealedConfig sealed =
        secrets.seal(
            sealingSpec(definition),
            userPartOf(template, definition, config),
            null,
            source.secretContext(),
            null,
            CONFIG_FIELD);
    sources.update(source.withConfig(source.name(), sealed, clock.instant()));
  }

  /**
   * Stores what a source's connector changed of the configuration a sync started with (a rotated
   * token) onto the source as it is now, within the checkpoint's transaction: a field edited while
   * the sync ran keeps the edit (a reconnected account's credentials are newer than the old grant's
   * rotated token), and a source deleted meanwhile stays deleted.
   *
   * @param startedWith the source's configuration the sync started with, as the connector got it
   */
  public void storeRotatedConfig(SourceRecord source, ObjectNode startedWith, ObjectNode replaced) {
    sources
        .lockLive(source.id())
        .ifPresent(
            current -> {
              ObjectNode config = effectiveConfig(current);
              ConfigChanges.apply(
                  config, startedWith, replaced, ConfigChanges.Conflict.CURRENT_WINS);
              storeConnectorConfig(current, config);
            });
  }

  /**
   * Where a configuration a saved source's connector replaced its own with during a check or a
   * discover goes: stored at once, since there is no state checkpoint to wait for and the provider
   * may honour only the new one. Only what the connector changed is applied to the source as it is
   * then, as for a sync: an account reconnected meanwhile keeps its new credentials.
   *
   * @param startedWith the configuration the connector was given
   */
  public Consumer<ObjectNode> storesReplacedConfig(SourceRecord source, ObjectNode startedWith) {
    AtomicReference<ObjectNode> previous = new AtomicReference<>(startedWith.deepCopy());
    return config ->
        transaction.executeWithoutResult(
            status -> {
              storeRotatedConfig(source, previous.get(), config);
              previous.set(config.deepCopy());
            });
  }

  /**
   * The source's own part of a complete configuration: what differs from the template's defaults,
   * without the operator's OAuth app. A field the template sets stays the template's, as it does
   * for an end user's input, even when a connector's replacement changed it.
   */
  private ObjectNode userPartOf(
      SourceTemplate template, ConnectorDefinition definition, ObjectNode config) {
    ObjectNode own = oauthApps.withoutServerOutputs(definition, config);
    ObjectNode defaults = secrets.open(template.partialDefaultConfig(), template.secretContext());
    ObjectNode userPart = secretsFreeEmpty();
    own.properties()
        .forEach(
            field -> {
              if (!defaults.has(field.getKey())) {
                userPart.set(field.getKey(), field.getValue());
              }
            });
    return userPart;
  }

  /**
   * The spec whose secret fields are sealed: the connector's, and every place an OAuth consent
   * fills, whether the connector marks it secret or not.
   */
  private static JsonNode sealingSpec(ConnectorDefinition definition) {
    return OAuthFlow.of(definition.spec())
        .map(flow -> (JsonNode) flow.withSecretOutputs(definition.connectionSpecification()))
        .orElse(definition.connectionSpecification());
  }

  /**
   * The source's connector, built for its organization (its own local files, the instance's egress
   * policy).
   */
  public Source connector(SourceRecord source) {
    return registry.sourceConnector(
        registry.source(source.definitionId()), source.organizationId());
  }

  public Duration discoverTimeout() {
    return discoverTimeout;
  }

  /**
   * Whether the source's template lets its streams be chosen freely: a {@code whitelist} template
   * allows only the streams it lists.
   */
  public boolean selectable(SourceRecord source, String streamName) {
    Customization customization = template(source).customization();
    return customization.streamSelectionMode() != Customization.StreamSelectionMode.WHITELIST
        || customization.streamWhitelist().contains(streamName);
  }

  private SourceTemplate template(SourceRecord source) {
    return templates
        .findAny(source.organizationId(), source.sourceTemplateId())
        .orElseThrow(
            () -> new IllegalStateException("Template of source " + source.id() + " is gone"));
  }

  /**
   * The organization's {@code /local/} directory holds every one of its workspaces' files, lake
   * outputs among them: where a template offers local files without naming one, only the operator
   * may name it. An end user keeps a file the operator named for their source, and cannot choose
   * another.
   *
   * @param before the source's user part before this change; null for a new source
   */
  private static void refuseLocalFileChosenByEndUser(
      Caller caller, SourceTemplate template, ObjectNode userPart, ObjectNode before) {
    boolean local =
        "local"
            .equals(
                template
                    .partialDefaultConfig()
                    .masked()
                    .path("provider")
                    .path("storage")
                    .asString(null));
    if (local
        && !caller.isOperator()
        && userPart.has(FILE_URL)
        && (before == null || !userPart.get(FILE_URL).equals(before.get(FILE_URL)))) {
      throw ValidationException.of(
          List.of(
              new ValidationException.Violation(
                  List.of(CONFIG_FIELD, FILE_URL),
                  "the local file is named by the source template or the operator; an end user"
                      + " cannot choose one",
                  "value_error.local")));
    }
  }

  /**
   * The user's part may not set what the template sets; together they must satisfy the spec.
   *
   * @param configField the input's field holding the user's part, for errors
   */
  private ObjectNode effective(SourceTemplate template, ObjectNode userPart, String configField) {
    ConnectorDefinition definition = registry.source(template.actorDefinitionId());
    List<ValidationException.Violation> errors = new ArrayList<>();
    for (String field : template.partialDefaultConfig().masked().propertyNames()) {
      if (userPart.has(field)) {
        errors.add(
            new ValidationException.Violation(
                List.of(configField, field),
                "set by the source template; it cannot be changed here",
                "value_error.preset"));
      }
    }
    // files under the instance's local root may hold other organizations' data: only an operator's
    // template may point a source there, never a configuration typed in by an end user
    if ("local".equals(userPart.path("provider").path("storage").asString(null))) {
      errors.add(
          new ValidationException.Violation(
              List.of(configField, "provider", "storage"),
              "local files can only be offered by the source template",
              "value_error.local"));
    }
    if (!errors.isEmpty()) {
      throw ValidationException.of(errors);
    }
    ObjectNode merged = secrets.open(template.partialDefaultConfig(), template.secretContext());
    userPart.properties().forEach(e -> merged.set(e.getKey(), e.getValue()));
    List<ValidationException.Violation> hosts =
        oauthApps.secretHostViolations(template.organizationId(), definition, merged, userPart);
    if (!hosts.isEmpty()) {
      throw ValidationException.of(
          hosts.stream()
              .map(
                  h -> {
                    List<Object> field = new ArrayList<>(List.of(configField));
                    field.addAll(h.field());
                    return new ValidationException.Violation(field, h.msg(), h.type());
                  })
              .toList());
    }
    ObjectNode complete =
        oauthApps.withServerOutputs(template.organizationId(), definition, merged);
    validator.validate(definition, complete, ConfigValidator.Completeness.COMPLETE, configField);
    return complete;
  }

  private void check(
      ConnectorDefinition definition,
      UUID organizationId,
      ObjectNode effective,
      Consumer<ObjectNode> replaced) {
    ConnectionStatus status =
        ConnectorCalls.within(
            checkTimeout,
            "The connection check",
            () -> registry.sourceConnector(definition, organizationId).check(effective, replaced));
    if (!status.ok()) {
      // the connector's own verdict on the configuration, answered like any configuration error it
      // raises
      throw ConnectorException.config(
          status.message() == null ? "The connection check failed" : status.message());
    }
  }

  private AirbyteCatalog discover(
      ConnectorDefinition definition,
      UUID organizationId,
      ObjectNode effective,
      Consumer<ObjectNode> replaced) {
    return ConnectorCalls.within(
        discoverTimeout,
        "Discovering the source's streams",
        () -> registry.sourceConnector(definition, organizationId).discover(effective, replaced));
  }

  /**
   * The template's stream selection: suggested (all when none are), all, or the whitelist;
   * overrides per stream.
   */
  private static List<NewSourceCatalog.SelectedStream> selectStreams(
      SourceTemplate template, ConnectorDefinition definition, AirbyteCatalog catalog) {
    Customization customization = template.customization();
    Set<String> wanted = new HashSet<>();
    switch (customization.streamSelectionMode()) {
      case ALL -> catalog.streams().forEach(s -> wanted.add(s.name()));
      case WHITELIST -> wanted.addAll(customization.streamWhitelist());
      case SUGGESTED -> {
        catalog.streams().stream()
            .map(AirbyteStream::name)
            .filter(definition.suggestedStreams()::contains)
            .forEach(wanted::add);
        if (wanted.isEmpty()) {
          catalog.streams().forEach(s -> wanted.add(s.name()));
        }
      }
    }
    List<NewSourceCatalog.SelectedStream> selected = new ArrayList<>();
    for (AirbyteStream stream : catalog.streams()) {
      if (!wanted.contains(stream.name())) {
        continue;
      }
      var overrides =
          customization.streamCustomizations() == null
              ? null
              : customization.streamCustomizations().get(stream.name());
      selected.add(
          new NewSourceCatalog.SelectedStream(
              stream,
              overrides == null ? null : overrides.primaryKeyFields(),
              overrides == null ? null : overrides.cursorField()));
    }
    return selected;
  }

  /** End users see only the templates their widget token's tags allow. */
  public boolean visible(Caller caller, SourceTemplate template) {
    WidgetScope widget = caller.widgetScope().orElse(null);
    if (widget == null || widget.sourceTemplateTags().isEmpty()) {
      return true;
    }
    List<String> wanted = widget.sourceTemplateTags();
    List<String> has = templates.tagNames(template.id());
    return widget.sourceTemplateTagsMode() == TagMode.ALL
        ? has.containsAll(wanted)
        : wanted.stream().anyMatch(has::contains);
  }

  private Workspace workspace(Caller caller, UUID requested) {
    TenantScope scope = TenantScope.of(caller);
    if (!scope.mayNameOtherWorkspace()) {
      // an end user's token names its workspace; a deleted one makes the token worthless
      UUID own = scope.narrowedTo(requested).workspaceId();
      return workspaces
          .findLive(scope.organizationId(), own)
          .orElseThrow(UnauthorizedException::new);
    }
    if (requested == null) {
      throw ValidationException.field("workspace_id", "field required", "value_error.missing");
    }
    return workspaces
        .findLive(caller.organizationId(), requested)
        .orElseThrow(() -> new NotFoundException("Workspace", requested));
  }

  private static ObjectNode secretsFreeEmpty() {
    return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }
}
