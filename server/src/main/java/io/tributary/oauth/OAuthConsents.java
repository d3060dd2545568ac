package io.tributary.oauth;

import io.tributary.auth.Origins;
import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import io.tributary.common.RefusedException;
import io.tributary.common.ValidationException;
import io.tributary.connector.ConnectorException;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.secret.SecretCipher;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An end user's OAuth consent, from the consent URL to the sealed tokens a source takes:
 *
 * <ol>
 *   <li>{@link #initiate}: a state of 256 random bits (only its hash is kept, for 10 minutes) and,
 *       where the flow's templates ask for it, a PKCE S256 challenge; the consent URL is the flow's
 *       template filled in with the operator's app.
 *   <li>{@link #complete}: the provider sends the browser back with the state and a code; the state
 *       is used once, the code is traded for tokens, and what the flow keeps is sealed under a new
 *       secret id of 256 random bits, good once for 15 minutes.
 *   <li>{@link #take}: a source being created or reconnected takes the tokens by that id.
 * </ol>
 */
@Service
public class OAuthConsents {

  static final Duration CONSENT_LIFE = Duration.ofMinutes(10);
  static final Duration SECRET_LIFE = Duration.ofMinutes(15);
  private static final Logger LOG = LoggerFactory.getLogger(OAuthConsents.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> FLOW_KEYS =
      Set.of(
          "consent_url",
          "access_token_url",
          "access_token_headers",
          "access_token_params",
          "extract_output",
          "state",
          "scopes",
          "optional_scopes",
          "scopes_join_strategy");

  private final OAuthApps apps;
  private final OAuthStore store;
  private final TokenExchange exchange;
  private final ConnectorRegistry registry;
  private final SecretCipher cipher;
  private final JsonMapper json;
  private final Clock clock;
  private final List<String> redirectOrigins;

  OAuthConsents(
      OAuthApps apps,
      OAuthStore store,
      TokenExchange exchange,
      ConnectorRegistry registry,
      SecretCipher cipher,
      JsonMapper json,
      Clock clock,
      @Value("${tributary.oauth-redirect-origins:}") String redirectOrigins) {
    this.apps = apps;
    this.store = store;
    this.exchange = exchange;
    this.registry = registry;
    this.cipher = cipher;
    this.json = json;
    this.clock = clock;
    this.redirectOrigins =
        java.util.Arrays.stream(redirectOrigins.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(o -> Origins.normalize(o).orElse(o))
            .toList();
  }

  /**
   * What a consent is started for.
   *
   * @param sourceTemplateId the template of the source to be created, or null on reconnect
   * @param sourceId the source that reconnects, or null for a new one
   * @param config what the configuration holds so far (the template's defaults, the source's own
   *     part on reconnect, the end user's input for the flow), for the flow's user inputs
   * @param fixed the part the operator fixed (the template's defaults): an input that decides where
   *     the client secret goes is taken only from there, unless the operator's backend asks
   * @param redirectUrl where the browser goes with the secret id; null for the widget's popup
   * @param allowedOrigin the widget token's origin, or null
   * @param operator whether the operator's backend asks (it may send the browser anywhere)
   * @param callbackUrl this instance's callback, the redirect URI the provider is given
   */
  public record ConsentRequest(
      UUID organizationId,
      UUID workspaceId,
      ConnectorDefinition definition,
      UUID sourceTemplateId,
      UUID sourceId,
      ObjectNode config,
      ObjectNode fixed,
      String redirectUrl,
      String allowedOrigin,
      boolean operator,
      String callbackUrl) {}

  /** Starts a consent; returns the URL to send the end user's browser to. */
  public String initiate(ConsentRequest request) {
    OAuthFlow flow = apps.flow(request.definition());
    ObjectNode app =
        apps.open(request.organizationId(), request.definition().definitionId())
            .orElseThrow(
                () ->
                    new ConflictException(
                        "The operator has not registered an OAuth app for "
                            + request.definition().name()
                            + " (PUT /api/v1/oauth/credentials)"));
    if (request.redirectUrl() != null) {
      checkRedirect(request);
    }
    ObjectNode inputs = json.createObjectNode();
    flow.userInputs()
        .forEach(
            (name, path) -> {
              JsonNode value = ConfigPath.get(request.config(), path);
              if (value == null || value.isContainer()) {
                throw ValidationException.field(
                    "oauth_input_configuration",
                    name + " is required to connect with " + request.definition().name(),
                    "value_error.missing");
              }
              // an operator too: the source would hold the value as its own, where a source may
              // not decide where the app's secret goes, so the consent could never be used
              if (ConfigPath.get(request.fixed(), path) == null) {
                Optional<String> refused = TokenHost.refusal(flow, name, value.asString());
                if (refused.isPresent()) {
                  throw ValidationException.of(
                      List.of(
                          new ValidationException.Violation(
                              List.of("oauth_input_configuration", name),
                              refused.get(),
                              "value_error.oauth_host")));
                }
              }
              inputs.set(name, value);
            });
    String state = random(48);
    boolean pkce = OAuthTemplate.mentions(flow.input("consent_url"), "code_challenge_value");
    String verifier = random(64);
    Map<String, String> variables = variables(flow, app, inputs, request.callbackUrl(), state);
    variables.put("code_challenge_value", OAuthTemplate.codeChallenge(verifier));
    String consentUrl = render(flow, "consent_url", variables);
    Instant now = clock.instant();
    byte[] hash = sha256(state);
    store.insertConsent(
        hash,
        new OAuthStore.Consent(
            request.organizationId(),
            request.workspaceId(),
            request.definition().definitionId(),
            request.sourceTemplateId(),
            request.sourceId(),
            request.redirectUrl(),
            request.callbackUrl(),
            inputs,
            pkce ? cipher.encrypt(bytes(verifier), verifierContext(hash)) : null),
        now,
        now.plus(CONSENT_LIFE));
    store.purge(now);
    return consentUrl;
  }

  /** Tokens nobody took are not kept past their life, whether or not consents keep coming. */
  @Scheduled(
      fixedDelayString = "${tributary.oauth.purge-every:10m}",
      initialDelayString = "${tributary.oauth.purge-every:10m}")
  void purgeExpired() {
    store.purge(clock.instant());
  }

  /** Where a completed consent sends the browser. */
  public sealed interface Completion {
    /** To the operator's page, with {@code secret_id} or {@code error} in the query. */
    record Redirect(String location) implements Completion {}

    /**
     * To the widget that opened the popup.
     *
     * @param secretId the sealed tokens' id, or null when the consent failed
     * @param error the OAuth error code ({@code access_denied}, {@code invalid_grant}, ...), or
     *     null
     * @param message what to tell the end user
     */
    record Popup(String secretId, String error, String message) implements Completion {}
  }

  /**
   * The provider's answer: {@code code} on consent, {@code error} (e.g. {@code access_denied}) when
   * the end user or the provider declined.
   */
  public Completion complete(String state, String code, String error, String errorDescription) {
    Instant now = clock.instant();
    OAuthStore.Consent consent =
        (state == null || state.isBlank()
                ? Optional.<OAuthStore.Consent>empty()
                : store.useConsent(sha256(state), now))
            .orElseThrow(
                () ->
                    new RefusedException(
                        "This sign-in is unknown, was completed already or has expired (after "
                            + CONSENT_LIFE.toMinutes()
                            + " minutes). Nothing was connected; start again from the app."));
    ConnectorDefinition definition =
        registry
            .find(io.tributary.definition.ConnectorType.SOURCE, consent.definitionId())
            .orElseThrow(() -> new NotFoundException("Source definition", consent.definitionId()));
    if (error != null || code == null || code.isBlank()) {
      String reason = error == null ? "no_code" : error;
      return failed(consent, reason, declined(definition, reason, errorDescription));
    }
    OAuthFlow flow = apps.flow(definition);
    ObjectNode app =
        apps.open(consent.organizationId(), definition.definitionId())
            .orElseThrow(
                () ->
                    new ConflictException(
                        "The operator removed its OAuth app for " + definition.name()));
    Map<String, String> variables =
        variables(flow, app, consent.inputConfig(), consent.callbackUrl(), state);
    variables.put("auth_code_key", flow.keyName("auth_code"));
    variables.put("auth_code_value", code);
    variables.put("auth_code_param", flow.keyName("auth_code") + "=" + encode(code));
    if (consent.codeVerifier() != null) {
      variables.put(
          "code_verifier_value",
          new String(
              cipher.decrypt(consent.codeVerifier(), verifierContext(sha256(state))),
              StandardCharsets.US_ASCII));
    }
    Map<String, JsonNode> values;
    try {
      values = exchange.exchange(flow, variables, now);
    } catch (TokenExchange.ProviderRefusal refusal) {
      LOG.info(
          "{} refused the code exchange for workspace {}: {}",
          definition.name(),
          consent.workspaceId(),
          refusal.error);
      return failed(consent, refusal.error, declined(definition, refusal.error, null));
    } catch (ConnectorException unreachable) {
      return failed(consent, "temporarily_unavailable", unreachable.getMessage());
    } catch (IllegalArgumentException | OAuthTemplate.TemplateException unusable) {
      // the request made from the spec and this code is not a valid one (a URL with a space, an
      // unknown variable): never log it, it may carry the code or the client secret
      LOG.warn(
          "{}'s OAuth spec could not form the token request for workspace {} ({})",
          definition.name(),
          consent.workspaceId(),
          unusable.getClass().getSimpleName());
      return failed(
          consent,
          "server_error",
          definition.name()
              + " could not be connected: its OAuth spec cannot form the token request");
    }
    ObjectNode fragment = json.createObjectNode();
    flow.outputs()
        .forEach(
            (name, path) -> {
              if (values.containsKey(name)) {
                ConfigPath.set(fragment, path, values.get(name));
              }
            });
    if (fragment.isEmpty()) {
      return failed(
          consent,
          "invalid_response",
          definition.name() + " answered without the tokens its connector needs");
    }
    flow.userInputs()
        .forEach(
            (name, path) -> {
              if (consent.inputConfig().has(name)) {
                ConfigPath.set(fragment, path, consent.inputConfig().get(name));
              }
            });
    if (!flow.predicateKey().isEmpty() && flow.predicateValue() != null) {
      ConfigPath.set(fragment, flow.predicateKey(), flow.predicateValue());
    }
    String secretId = "oauth_" + random(43);
    byte[] hash = sha256(secretId);
    store.insertOutcome(
        hash,
        new OAuthStore.Outcome(
            consent.organizationId(),
            consent.workspaceId(),
            consent.definitionId(),
            consent.sourceId(),
            cipher.encrypt(json.writeValueAsBytes(fragment), outcomeContext(hash))),
        now,
        now.plus(SECRET_LIFE));
    if (consent.redirectUrl() == null) {
      return new Completion.Popup(secretId, null, definition.name() + " is connected.");
    }
    return new Completion.Redirect(withQuery(consent.redirectUrl(), "secret_id", secretId));
  }

  /**
   * The configuration a consent obtained (tokens at their places, the OAuth choice made), for a
   * source of {@code definitionId} in the workspace; it is not taken yet: {@link #take} does that
   * in the transaction that stores the source.
   *
   * @param sourceId the source reconnecting, or null for a new one
   */
  public ObjectNode peek(
      String secretId, UUID organizationId, UUID workspaceId, UUID definitionId, UUID sourceId) {
    byte[] hash = sha256(secretId == null ? "" : secretId);
    OAuthStore.Outcome outcome =
        store
            .findOutcome(hash, clock.instant())
            .filter(o -> o.organizationId().equals(organizationId))
            .filter(o -> o.workspaceId().equals(workspaceId))
            .filter(o -> o.definitionId().equals(definitionId))
            .filter(o -> o.sourceId() == null || o.sourceId().equals(sourceId))
            .orElseThrow(OAuthConsents::unusableSecret);
    return (ObjectNode) json.readTree(cipher.decrypt(outcome.payload(), outcomeContext(hash)));
  }

  /**
   * Keeps what a connector rotated while checking with a consent's tokens (a single-use refresh
   * token, replaced by the provider): the consent then holds the new ones, for the source created
   * from it. Nothing happens once the consent was taken.
   *
   * @param obtained what {@link #peek} returned: the fields to keep, read at their places in {@code
   *     config}
   * @param config the whole configuration the connector replaced its own with
   */
  public void keepRotated(String secretId, ObjectNode obtained, ObjectNode config) {
    byte[] hash = sha256(secretId);
    ObjectNode rotated = projected(obtained, config);
    store.replaceOutcome(
        hash,
        cipher.encrypt(json.writeValueAsBytes(rotated), outcomeContext(hash)),
        clock.instant());
  }

  /** {@code shape}'s fields with their values in {@code from}, where it has them. */
  private static ObjectNode projected(ObjectNode shape, ObjectNode from) {
    ObjectNode out = shape.deepCopy();
    shape
        .properties()
        .forEach(
            field -> {
              JsonNode value = from.get(field.getKey());
              if (field.getValue() instanceof ObjectNode nested && value instanceof ObjectNode in) {
                out.set(field.getKey(), projected(nested, in));
              } else if (value != null && !value.isObject()) {
                out.set(field.getKey(), value);
              }
            });
    return out;
  }

  /** Takes the tokens for good; refused when another request took them first. */
  public void take(String secretId) {
    if (!store.consumeOutcome(sha256(secretId), clock.instant())) {
      throw unusableSecret();
    }
  }

  /** The configuration with what a consent obtained merged in. */
  public static ObjectNode merged(ObjectNode config, ObjectNode obtained) {
    ObjectNode out = config.deepCopy();
    ConfigPath.merge(out, obtained);
    return out;
  }

  private static ValidationException unusableSecret() {
    return ValidationException.field(
        "secret_id",
        "unknown, already used, expired (after "
            + SECRET_LIFE.toMinutes()
            + " minutes) or obtained for another workspace or connector: connect again",
        "value_error.secret_id");
  }

  private Completion failed(OAuthStore.Consent consent, String error, String message) {
    if (consent.redirectUrl() == null) {
      return new Completion.Popup(null, error, message);
    }
    return new Completion.Redirect(
        withQuery(withQuery(consent.redirectUrl(), "error", error), "error_description", message));
  }

  private static String declined(ConnectorDefinition definition, String error, String detail) {
    return switch (error) {
      case "access_denied" ->
          "Access to " + definition.name() + " was declined, so nothing was connected.";
      case "invalid_grant" ->
          definition.name()
              + " did not accept the sign-in (invalid_grant): it may have expired. Connect again.";
      case "no_code" -> definition.name() + " sent no authorization. Connect again.";
      default ->
          definition.name()
              + " refused the connection ("
              + error
              + (detail == null || detail.isBlank() ? "" : ": " + clip(detail))
              + ").";
    };
  }

  private void checkRedirect(ConsentRequest request) {
    URI uri;
    try {
      uri = new URI(request.redirectUrl());
    } catch (URISyntaxException e) {
      throw redirectRefused("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute()
        || !(scheme.equals("https") || scheme.equals("http"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw redirectRefused("an absolute http(s) URL without user info or fragment is needed");
    }
    if (request.operator()) {
      return;
    }
    String origin =
        Origins.normalize(scheme + "://" + uri.getRawAuthority())
            .orElseThrow(() -> redirectRefused("not a web origin"));
    boolean allowed =
        Origins.same(origin, originOf(request.callbackUrl()))
            || (request.allowedOrigin() != null && Origins.same(origin, request.allowedOrigin()))
            || redirectOrigins.contains(origin);
    if (!allowed) {
      throw redirectRefused(
          origin
              + " is neither this widget's origin, Tributary's own, nor one the operator allowed"
              + " (TRIBUTARY_OAUTH_REDIRECT_ORIGINS)");
    }
  }

  private static ValidationException redirectRefused(String why) {
    return ValidationException.field("redirect_url", why, "value_error.redirect_url");
  }

  private static String originOf(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private Map<String, String> variables(
      OAuthFlow flow, ObjectNode app, ObjectNode inputs, String callbackUrl, String state) {
    Map<String, String> variables = new HashMap<>();
    flow.input()
        .properties()
        .forEach(
            field -> {
              if (!FLOW_KEYS.contains(field.getKey()) && field.getValue().isValueNode()) {
                variables.put(field.getKey(), field.getValue().asString());
              }
            });
    app.properties()
        .forEach(
            field -> {
              if (field.getValue().isValueNode()) {
                variables.put(field.getKey(), field.getValue().asString());
              }
            });
    inputs
        .properties()
        .forEach(field -> variables.put(field.getKey(), field.getValue().asString()));
    put(variables, flow, "client_id", app.path("client_id").asString(""), false);
    put(variables, flow, "client_secret", app.path("client_secret").asString(""), false);
    put(variables, flow, "redirect_uri", callbackUrl, true);
    put(variables, flow, "state", state, false);
    String scope = scope(flow);
    put(variables, flow, "scope", scope, true);
    variables.put("scopes_value", scope);
    variables.put("scopes_param", variables.get("scope_param"));
    return variables;
  }

  private static void put(
      Map<String, String> variables, OAuthFlow flow, String name, String value, boolean encoded) {
    String key = flow.keyName(name);
    variables.put(name + "_key", key);
    variables.put(name + "_value", value);
    variables.put(name + "_param", key + "=" + (encoded ? encode(value) : value));
  }

  private static String scope(OAuthFlow flow) {
    if (flow.input("scope") != null) {
      return flow.input("scope");
    }
    String join =
        switch (flow.input().path("scopes_join_strategy").asString("space")) {
          case "comma" -> ",";
          case "plus" -> "+";
          default -> " ";
        };
    List<String> scopes = new java.util.ArrayList<>();
    flow.input().path("scopes").forEach(s -> scopes.add(s.path("scope").asString(s.asString())));
    return String.join(join, scopes);
  }

  private static String render(OAuthFlow flow, String key, Map<String, String> variables) {
    try {
      return OAuthTemplate.render(flow.input(key), variables);
    } catch (OAuthTemplate.TemplateException e) {
      throw new RefusedException("The connector's OAuth spec cannot be used: " + e.getMessage());
    }
  }

  private static String withQuery(String url, String name, String value) {
    int fragment = url.indexOf('#');
    String base = fragment < 0 ? url : url.substring(0, fragment);
    return base + (base.contains("?") ? "&" : "?") + name + "=" + encode(value);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String clip(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }

  /** Random characters of RFC 7636's unreserved set: 6 bits each, also a valid PKCE verifier. */
  private static String random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
  }

  static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static String verifierContext(byte[] stateHash) {
    return "oauth-consent:" + HexFormat.of().formatHex(stateHash);
  }

  private static String outcomeContext(byte[] idHash) {
    return "oauth-secret:" + HexFormat.of().formatHex(idHash);
  }
}
