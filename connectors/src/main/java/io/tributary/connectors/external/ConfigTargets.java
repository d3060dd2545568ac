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
 * {@code mongodb://...}), at any depth. The connector resolves them with its own resolver, so an
 * IPv4 address in any form but a plain dotted quad ({@code 0x7f.1}, {@code 0177.0.0.1}) and a value
 * that is no host ({@code 169.254.169.254/x}) are refused (see {@link
 * EgressPolicy#checkChildHost}).
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
   *     target and the field it is in
   */
  static void check(EgressPolicy egress, JsonNode config) {
    if (config != null) {
      walk(egress, config, "");
    }
  }

  private static void walk(EgressPolicy egress, JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(egress, node.get(i), path + "[" + i + "]");
      }
      return;
    }
    if (!node.isObject()) {
      if (node.isString()) {
        url(egress, node.asString(), -1, path);
      }
      return;
    }
    for (var field : node.properties()) {
      JsonNode value = field.getValue();
      String key = field.getKey().toLowerCase(Locale.ROOT);
      String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (value.isString()) {
        if (!url(egress, value.asString(), -1, fieldPath) && hostKey(key)) {
          authority(egress, value.asString(), port(node, key), fieldPath);
        }
      } else if (value.isNumber() && hostKey(key)) {
        // a connector that formats it into a host name reads 2130706433 as 127.0.0.1
        authority(egress, value.asString(), -1, fieldPath);
      } else {
        walk(egress, value, fieldPath);
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
  private static boolean url(EgressPolicy egress, String value, int fallbackPort, String field) {
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
    // a backslash ends the authority for WHATWG parsers: what precedes it is the host they reach
    while (end < rest.length() && "/?#\\".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    String authority = rest.substring(0, end);
    if (authority.isBlank()) {
      return false;
    }
    authority(egress, authority, DEFAULT_PORTS.getOrDefault(scheme, fallbackPort), field);
    return true;
  }

  /**
   * {@code [user@]host[:port]}, or several joined by commas (a MongoDB replica set), each up to a
   * {@code ;} (SQL Server's parameters), read by hand: {@link java.net.URI} leaves the host of
   * {@code 127.1} or {@code my_db} unset, and a connector resolves such names all the same.
   */
  private static void authority(
      EgressPolicy egress, String authority, int defaultPort, String field) {
    String hosts = authority.strip();
    if (hosts.chars().anyMatch(c -> "/?#\\".indexOf(c) >= 0)) {
      // a bare value with a path or fragment: in a URL the host ends there, before any '@', so it
      // is
      // no host to check but a malformed one
      egress.checkChildHost(hosts, defaultPort, "the configuration's field '" + field + "'");
      return;
    }
    hosts = hosts.substring(hosts.lastIndexOf('@') + 1);
    for (String hostPort : hosts.split(",", -1)) {
      hostPort = hostPort.strip();
      if (hostPort.indexOf(';') >= 0) {
        hostPort = hostPort.substring(0, hostPort.indexOf(';')).strip();
      }
      String host = hostPort;
      int port = defaultPort;
      if (hostPort.startsWith("[") && hostPort.indexOf(']') > 0) {
        int close = hostPort.indexOf(']');
        host = hostPort.substring(1, close);
        port = port(hostPort.substring(close + 1), defaultPort);
      } else if (hostPort.indexOf(':') == hostPort.lastIndexOf(':') && hostPort.indexOf(':') >= 0) {
        host = hostPort.substring(0, hostPort.indexOf(':'));
        port = port(hostPort.substring(hostPort.indexOf(':')), defaultPort);
      }
      if (!host.isBlank()) {
        egress.checkChildHost(host, port, "the configuration's field '" + field + "'");
      }
    }
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
