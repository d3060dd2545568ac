package io.tributary.connectors;

import io.tributary.connector.ConnectorException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a connector must not connect, whatever an end user types into its configuration: link-local addresses,
 * where cloud metadata services hand out the machine's credentials, and the endpoints the runtime lists in the
 * system property {@code tributary.forbidden-endpoints} ({@code host:port,...}), such as the embedded PostgreSQL
 * that holds Tributary's own data and trusts local connections.
 *
 * <p>Checked on the addresses a host name resolves to when the connector is about to connect. A loopback or
 * wildcard endpoint in the list stands for every local address.
 */
public final class Egress {

  public static final String FORBIDDEN_ENDPOINTS = "tributary.forbidden-endpoints";

  private Egress() {}

  /** Refuses {@code host:port} with a config error; unknown hosts pass, for the connector to report in its words. */
  public static void check(String host, int port) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return;
    }
    for (InetAddress address : addresses) {
      if (address.isLinkLocalAddress() || address.getHostAddress().startsWith("fd00:ec2:0:0:0:0:0:254")) {
        throw ConnectorException.config("Tributary does not connect to link-local addresses such as cloud metadata services ('"
            + host + "')");
      }
      for (Endpoint forbidden : forbidden()) {
        if (forbidden.port() == port && forbidden.matches(address)) {
          throw ConnectorException.config("'" + host + ":" + port + "' is Tributary's own database: connect to your own server");
        }
      }
    }
  }

  /** The host of an http(s) or endpoint URL, with its port or the scheme's default. */
  public static void check(URI uri) {
    if (uri.getHost() == null) {
      return;
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    check(uri.getHost(), port);
  }

  /** A JDBC host field, which drivers also accept as a comma-separated list of {@code host[:port]} for failover. */
  public static void checkHosts(String hosts, int defaultPort) {
    for (String part : hosts.split(",")) {
      String host = part.trim();
      int port = defaultPort;
      int colon = host.lastIndexOf(':');
      if (host.startsWith("[")) {
        int close = host.indexOf(']');
        if (close > 0 && colon > close) {
          port = parsePort(host.substring(colon + 1), defaultPort);
        }
        host = host.substring(1, close > 0 ? close : host.length());
      } else if (colon > 0 && host.indexOf(':') == colon) {
        port = parsePort(host.substring(colon + 1), defaultPort);
        host = host.substring(0, colon);
      }
      if (!host.isEmpty()) {
        check(host, port);
      }
    }
  }

  private static int parsePort(String text, int fallback) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private record Endpoint(List<InetAddress> addresses, int port) {
    boolean matches(InetAddress address) {
      for (InetAddress forbidden : addresses) {
        boolean local = forbidden.isLoopbackAddress() || forbidden.isAnyLocalAddress();
        if (local ? address.isLoopbackAddress() || address.isAnyLocalAddress() : forbidden.equals(address)) {
          return true;
        }
      }
      return false;
    }
  }

  private static List<Endpoint> forbidden() {
    String configured = System.getProperty(FORBIDDEN_ENDPOINTS, "");
    List<Endpoint> endpoints = new ArrayList<>();
    for (String entry : configured.split(",")) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0) {
        continue;
      }
      try {
        endpoints.add(new Endpoint(List.of(InetAddress.getAllByName(entry.substring(0, colon).trim())),
            Integer.parseInt(entry.substring(colon + 1).trim())));
      } catch (UnknownHostException | NumberFormatException e) {
        // an entry that does not resolve forbids nothing
      }
    }
    return endpoints;
  }
}
