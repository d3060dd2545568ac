package io.tributary.connectors.external;

import io.tributary.connectors.egress.EgressPolicy;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The network targets an external connector's configuration names, checked against the egress
 * policy before the connector is started: values of host-like keys ({@code host}, {@code hostname},
 * {@code url}, {@code endpoint}, {@code base_url}, {@code *_host}, {@code *_url}, ...) and any
 * string that reads as a URL with a host ({@code https://...}, {@code jdbc:postgresql://...},
 * {@code mongodb://...}), at any depth.
 *
 * <p>What this does not cover: the connector is a separate process and opens whatever sockets it
 * likes. It can build a host out of several fields, resolve a name again later to another address,
 * follow a redirect, or take a host from an API answer. Keeping it off Tributary's listeners and
 * the metadata service takes the operating system: a network namespace or container of its own with
 * egress rules (see the README).
 */
final class ConfigTargets {

  private static final Set<String> HOST_KEYS =
      Set.of(
          "host",
          "hostname",
          "host_name",
          "server",
          "server_name",
          "address",
          "endpoint",
          "url",
          "uri",
          "base_url",
          "api_url",
          "domain",
          "instance_url",
          "connection_string",
          "dsn");
  private static final Set<String> HOST_SUFFIXES =
      Set.of("_host", "_hostname", "_url", "_uri", "_endpoint", "_server", "_address");
  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of(
          "http",
          80,
          "https",
          443,
          "postgresql",
          5432,
          "postgres",
          5432,
          "mysql",
          3306,
          "mariadb",
          3306,
          "mongodb",
          27017,
          "redis",
          6379,
          "sqlserver",
          1433);

  private ConfigTargets() {}

  /**
   * @throws io.tributary.connector.ConnectorException (config error) naming the first refused
   *     target
   */
  static void check(EgressPolicy egress, JsonNode config) {
    if (config != null) {
      walk(egress, config);
    }
  }

  private static void walk(EgressPolicy egress, JsonNode node) {
    if (node.isArray()) {
      node.forEach(item -> walk(egress, item));
      return;
    }
    if (!node.isObject()) {
      if (node.isString()) {
        url(egress, node.asString(), -1);
      }
      return;
    }
    for (var field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isString()) {
        String key = field.getKey().toLowerCase(Locale.ROOT);
        if (!url(egress, value.asString(), -1) && hostKey(key)) {
          host(egress, value.asString(), port(node, key));
        }
      } else {
        walk(egress, value);
      }
    }
  }

  private static boolean hostKey(String key) {
    return HOST_KEYS.contains(key) || HOST_SUFFIXES.stream().anyMatch(key::endsWith);
  }

  /**
   * The sibling port of a host key: {@code port}, or {@code tunnel_port} next to {@code
   * tunnel_host}; -1 if none.
   */
  private static int port(JsonNode object, String hostKey) {
    int underscore = hostKey.lastIndexOf('_');
    JsonNode port = underscore > 0 ? object.get(hostKey.substring(0, underscore) + "_port") : null;
    if (port == null || !port.canConvertToInt()) {
      port = object.get("port");
    }
    return port != null && port.canConvertToInt() && port.asInt() > 0 && port.asInt() < 65536
        ? port.asInt()
        : -1;
  }

  /**
   * A value with a scheme and a host ({@code jdbc:} stripped); false when the value is no such URL.
   */
  private static boolean url(EgressPolicy egress, String value, int fallbackPort) {
    String text = value.strip();
    if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
      text = text.substring(5);
    }
    int separator = text.indexOf("://");
    if (separator <= 0 || !text.substring(0, separator).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return false;
    }
    String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
    String rest = text.substring(separator + 3);
    int end = 0;
    while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    return authority(
        egress, rest.substring(0, end), DEFAULT_PORTS.getOrDefault(scheme, fallbackPort));
  }

  /** A bare host, possibly with {@code :port}. */
  private static void host(EgressPolicy egress, String value, int port) {
    authority(egress, value.strip(), port);
  }

  /**
   * {@code [user@]host[:port]} read by hand: {@link java.net.URI} leaves the host of {@code 127.1}
   * or {@code my_db} unset, and a connector resolves such names all the same.
   */
  private static boolean authority(EgressPolicy egress, String authority, int defaultPort) {
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    String host = hostPort;
    int port = defaultPort;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        return false;
      }
      host = hostPort.substring(1, close);
      port = port(hostPort.substring(close + 1), defaultPort);
    } else if (hostPort.indexOf(':') == hostPort.lastIndexOf(':') && hostPort.indexOf(':') >= 0) {
      host = hostPort.substring(0, hostPort.indexOf(':'));
      port = port(hostPort.substring(hostPort.indexOf(':')), defaultPort);
    }
    if (host.isBlank()) {
      return false;
    }
    egress.checkHost(host, port);
    return true;
  }

  private static int port(String colonPort, int fallback) {
    if (colonPort.length() > 1
        && colonPort.startsWith(":")
        && colonPort.substring(1).matches("\\d{1,5}")) {
      int port = Integer.parseInt(colonPort.substring(1));
      return port > 0 && port < 65536 ? port : fallback;
    }
    return fallback;
  }
}
