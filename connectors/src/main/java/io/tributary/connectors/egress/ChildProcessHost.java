package io.tributary.connectors.egress;

import java.net.IDN;
import java.util.regex.Pattern;

/**
 * A host as a child process's resolver (the C library's) will read it, checked before Java resolves
 * it. {@code inet_aton} reads numeric forms that Java reads differently or not at all: {@code
 * 0177.0.0.1} is 127.0.0.1 there and 177.0.0.1 in Java, {@code 0x7f.1}, {@code 0251.0376.0251.0376}
 * and {@code 2130706433} are loopback and metadata addresses Java does not resolve. And a value
 * that is no host at all ({@code 169.254.169.254/x}) resolves nowhere in Java, yet becomes a URL's
 * host once the connector puts it into one.
 */
final class ChildProcessHost {

  /** A label {@code inet_aton} may read as a number: decimal, octal (leading 0) or hex. */
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern DOTTED_QUAD =
      Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?)*\\.?");

  private ChildProcessHost() {}

  /**
   * The host in ASCII (an internationalized name as its resolver would look it up), or null when it
   * cannot be one.
   */
  static String ascii(String host) {
    if (host.chars().allMatch(c -> c < 0x80)) {
      return host;
    }
    try {
      return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Why a child process must not be given this host, or null: an IPv4 address in any form but a
   * plain dotted quad, or something that is neither a host name nor an IPv6 literal (which Java
   * parses strictly, as {@code inet_pton} does, and checks afterwards).
   *
   * @param host in ASCII, without brackets
   */
  static String problem(String host) {
    if (numeric(host)) {
      return DOTTED_QUAD.matcher(host).matches()
          ? null
          : "write an IPv4 address as four decimal numbers without leading zeros (a.b.c.d): "
              + "other numeric forms are read differently by the connector's resolver";
    }
    if (host.contains(":") || HOST_NAME.matcher(host).matches()) {
      return null;
    }
    return "it is neither a host name nor an IP address";
  }

  /** Every dot-separated label (at most four, as {@code inet_aton} reads) is number-like. */
  private static boolean numeric(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] labels = name.split("\\.", -1);
    if (labels.length > 4) {
      return false;
    }
    for (String label : labels) {
      if (!NUMERIC_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
