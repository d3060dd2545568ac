package io.tributary.connectors.jdbc;

import io.tributary.connector.ConnectorException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A database host as an end user typed it: one host name or IP address and nothing else. Drivers
 * read more out of a URL's host part (a port, a path, query parameters that override the
 * connection's settings, several hosts), so anything else is refused before it is put into one.
 * Where it may connect is the egress policy's business, checked when the driver's socket connects.
 */
public final class DatabaseHost {

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?)*\\.?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private DatabaseHost() {}

  /**
   * @return the host without IPv6 brackets
   */
  public static String parse(String host) {
    String trimmed = host.trim();
    String bare =
        trimmed.startsWith("[") && trimmed.endsWith("]")
            ? trimmed.substring(1, trimmed.length() - 1)
            : trimmed;
    boolean valid =
        HOST_NAME.matcher(bare).matches()
            || (bare.contains(":") && IPV6.matcher(bare).matches() && isIpv6(bare));
    if (!valid) {
      throw ConnectorException.config(
          "'host' must be a host name or an IP address, such as db.example.com or 10.0.0.5");
    }
    return bare;
  }

  /** The host as it goes into a JDBC URL: IPv6 literals in brackets. */
  public static String inUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static boolean isIpv6(String literal) {
    try {
      return InetAddress.getByName(literal) instanceof Inet6Address;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
