package io.tributary.settings;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Instance configuration. Every property has an environment form: {@code tributary.data-dir} is
 * {@code TRIBUTARY_DATA_DIR}.
 *
 * @param databaseUrl absent means an embedded PostgreSQL under {@code dataDir}
 * @param masterKey base64 of 32 bytes; encrypts secrets at rest. Generated into the data dir on the
 *     embedded default
 * @param adminKey guards {@code /api/v1/admin}; generated into the data dir on the embedded default
 * @param demo serves a demo operator page at {@code /demo} (see {@link #demoEnabled()})
 * @param bind the address the API listens on ({@code server.address}); loopback unless the operator
 *     opens it
 */
@ConfigurationProperties("tributary")
public record TributaryProperties(
    @DefaultValue("8080") int port,
    @DefaultValue("./data") Path dataDir,
    String databaseUrl,
    String publicUrl,
    String masterKey,
    String adminKey,
    String bootstrapClientId,
    String bootstrapClientSecret,
    @DefaultValue("true") boolean bootstrap,
    @DefaultValue("1000") int rateLimitPerHour,
    @DefaultValue("10") int failedLoginsPerClientPerMinute,
    @DefaultValue("50") int failedLoginsPerAddressPerMinute,
    @DefaultValue("15m") Duration operatorTokenTtl,
    @DefaultValue("20m") Duration scopedTokenTtl,
    @DefaultValue("1MB") org.springframework.util.unit.DataSize maxRequestBody,
    @DefaultValue("5m") Duration minSyncInterval,
    Boolean demo,
    @DefaultValue("127.0.0.1") String bind) {

  /**
   * True when the API listens on a loopback address alone: only this machine reaches it, so
   * operator and end user are the same person. {@code 0.0.0.0} and {@code ::} (every interface) are
   * not loopback. Resolved as Tomcat resolves {@code server.address}; a name that does not resolve
   * is not known to be local.
   */
  public boolean loopbackOnly() {
    if (bind == null || bind.isBlank()) {
      return false;
    }
    try {
      return InetAddress.getByName(bind.strip()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The demo page at /demo: on for the quickstart (embedded database) unless turned off, off
   * otherwise unless turned on.
   */
  public boolean demoWanted() {
    return demo == null ? embeddedDatabase() : demo;
  }

  /**
   * Whether the demo exists: wanted, and only this machine reaches the server. Its token endpoint
   * needs no credentials, so it is never served on an address others reach, nor behind a public URL
   * (a reverse proxy).
   */
  public boolean demoEnabled() {
    return demoWanted() && loopbackOnly() && localPublicUrl();
  }

  /**
   * True unless a public URL names a host other than this machine; literals only, no DNS lookup per
   * request.
   */
  public boolean localPublicUrl() {
    String host = publicBaseUrl().getHost();
    if (host == null) {
      return false;
    }
    host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public boolean embeddedDatabase() {
    return databaseUrl == null || databaseUrl.isBlank();
  }

  /**
   * The configured public URL without a trailing slash, or null: then links are built from the
   * request.
   */
  public String configuredPublicUrl() {
    return publicUrl == null || publicUrl.isBlank() ? null : publicBaseUrl().toString();
  }

  /** The URL browsers and operators reach this instance at, without a trailing slash. */
  public URI publicBaseUrl() {
    String url = publicUrl == null || publicUrl.isBlank() ? "http://localhost:" + port : publicUrl;
    return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }
}
