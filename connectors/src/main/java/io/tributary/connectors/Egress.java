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
  /** Metadata services outside the link-local ranges (AWS over IPv6, Alibaba Cloud). */
  private static final java.util.Set<String> METADATA = java.util.Set.of("fd00:ec2:0:0:0:0:0:254", "100.100.100.200");

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
      if (address.isLinkLocalAddress() || METADATA.contains(address.getHostAddress())) {
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

  private static final java.util.regex.Pattern HOST_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?)*\\.?");
  private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]+");

  private static boolean isIpv6(String literal) {
    try {
      return InetAddress.getByName(literal) instanceof java.net.Inet6Address;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * A database host as an end user typed it: one host name or IP address and nothing else. Drivers read more
   * out of a URL's host part (a port, a path, query parameters that override the connection's settings, several
   * hosts), so anything else is refused before it is put into one; then its addresses are checked.
   */
  public static String databaseHost(String host, int port) {
    String trimmed = host.trim();
    String bare = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
    boolean valid = HOST_NAME.matcher(bare).matches() || (bare.contains(":") && IPV6.matcher(bare).matches() && isIpv6(bare));
    if (!valid) {
      throw ConnectorException.config("'host' must be a host name or an IP address, such as db.example.com or 10.0.0.5");
    }
    check(bare, port);
    return bare;
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
