package io.tributary.connectors.egress;

import io.tributary.connector.ConnectorException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * Where connectors (and anything else that connects on an end user's behalf) may connect, whatever
 * a configuration says. One instance per process, built by the runtime from its settings and handed
 * to every connector.
 *
 * <ul>
 *   <li>Never: link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}) and other cloud
 *       metadata addresses, and this process's own listeners (API, metrics, embedded database)
 *       under any local alias.
 *   <li>Refused unless the operator allows them: loopback and this machine's own addresses ({@code
 *       127.0.0.0/8}, {@code ::1}, {@code 0.0.0.0}, {@code ::}, every interface address). A local
 *       instance (listening on loopback alone, on its embedded database) allows them: there the
 *       operator is the only user.
 *   <li>Refused when the operator denies them: the deny list's ranges, even where the allow list
 *       matches.
 *   <li>Everything else, private ranges included: customers' databases sit behind VPNs and peering.
 * </ul>
 *
 * <p>The check is made on the address a socket is about to connect to ({@link #socketFactory()} for
 * JDBC drivers, {@link #dnsResolver()} for HTTP clients), so a host name that resolves differently
 * the second time gains nothing. A refused target is never connected to, so the refusal says the
 * same whether anything listens there.
 */
public final class EgressPolicy {

  private static final List<Cidr> LINK_LOCAL =
      List.of(Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"));

  /** Metadata services outside the link-local ranges (AWS over IPv6, Alibaba Cloud). */
  private static final List<Cidr> METADATA =
      List.of(Cidr.parse("fd00:ec2::254"), Cidr.parse("100.100.100.200"));

  /** {@code 0.0.0.0} and {@code ::} connect to this machine on Linux and macOS. */
  private static final List<Cidr> LOOPBACK =
      List.of(
          Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"), Cidr.parse("0.0.0.0/8"), Cidr.parse("::"));

  /** IPv6 forms that carry an IPv4 address a gateway or the kernel may connect to instead. */
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,62})?)*\\.?");
  private static final Map<String, EgressPolicy> BY_KEY = new ConcurrentHashMap<>();

  private final boolean localInstance;
  private final List<Cidr> allowRanges;
  private final Set<String> allowNames;
  private final List<Cidr> deny;
  private final List<Cidr> ownAddresses;
  private final Set<Integer> ownPorts = ConcurrentHashMap.newKeySet();
  private final String key = UUID.randomUUID().toString();

  private EgressPolicy(Builder builder) {
    this.localInstance = builder.localInstance;
    this.allowRanges = List.copyOf(builder.allowRanges);
    this.allowNames = Set.copyOf(builder.allowNames);
    this.deny = List.copyOf(builder.deny);
    this.ownAddresses = interfaceAddresses();
    this.ownPorts.addAll(builder.ownPorts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A listener of this process whose port is known only once it is bound (a random port). */
  public void ownListener(int port) {
    if (port > 0) {
      ownPorts.add(port);
    }
  }

  /**
   * Refuses a connection about to be made.
   *
   * @param target a resolved address; its host string (what the user typed) is matched against
   *     allowed names
   * @throws EgressRefusedException when the policy refuses it: nothing has been sent to the target
   */
  public void check(InetSocketAddress target) throws EgressRefusedException {
    if (target.isUnresolved()) {
      return; // nothing to connect to: the socket fails with an unknown host
    }
    String reason = refusal(target.getHostString(), target.getAddress(), target.getPort());
    if (reason != null) {
      throw new EgressRefusedException(message(target.getHostString(), target.getPort(), reason));
    }
  }

  /**
   * Checks every address a host name resolves to now, for configurations handed to something that
   * connects by itself (a child process): there the connect-time check is out of reach. Unknown
   * hosts pass, for the connector to report in its words.
   *
   * @throws ConnectorException (config error) when one of its addresses is refused
   */
  public void checkHost(String host, int port) {
    String bare = host.strip();
    if (bare.startsWith("[") && bare.endsWith("]")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(bare);
    } catch (UnknownHostException | SecurityException e) {
      return;
    }
    for (InetAddress address : addresses) {
      String reason = refusal(bare, address, port);
      if (reason != null) {
        throw ConnectorException.config(message(bare, port, reason));
      }
    }
  }

  /**
   * {@link #checkHost} for a host handed to a child process (an external connector's
   * configuration), which resolves it with its own resolver: an IPv4 address must be a plain dotted
   * quad, and a value that is neither a host name nor an IP address is refused (see {@link
   * ChildProcessHost}). A valid name that does not resolve here still passes: the connector may
   * reach it through a proxy or make a longer name of it, with the same system resolver.
   *
   * @param field where the host came from, e.g. {@code the configuration's field 'host'}: refusals
   *     of a malformed value name it instead of the value, which may be a misplaced secret
   * @throws ConnectorException (config error) when the host or one of its addresses is refused
   */
  public void checkChildHost(String host, int port, String field) {
    String bare = host.strip();
    if (bare.startsWith("[") && bare.endsWith("]")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    String ascii = ChildProcessHost.ascii(bare);
    String problem =
        ascii == null
            ? "it is neither a host name nor an IP address"
            : ChildProcessHost.problem(ascii);
    if (problem != null) {
      throw ConnectorException.config(
          "Tributary does not connect to the host in " + field + ": " + problem);
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(ascii);
    } catch (UnknownHostException | SecurityException e) {
      if (ascii.contains(":")) {
        throw ConnectorException.config(
            "Tributary does not connect to the host in "
                + field
                + ": it is neither a host name nor an IP address");
      }
      return;
    }
    for (InetAddress address : addresses) {
      String reason = refusal(ascii, address, port);
      if (reason != null) {
        throw ConnectorException.config(
            "Tributary does not connect to " + target(ascii, port) + " (" + field + "): " + reason);
      }
    }
  }

  /** {@link #checkHost} for a URL's host, with its port or the scheme's default. */
  public void checkUrl(URI uri) {
    if (uri.getHost() == null) {
      return;
    }
    int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
    checkHost(uri.getHost(), port);
  }

  /** Sockets that check their target in {@code connect}, before connecting. */
  public SocketFactory socketFactory() {
    return new EgressSocketFactory(this);
  }

  /**
   * For Apache HttpClient 5 (and the AWS SDK's client on it): it connects only to the addresses
   * returned here.
   */
  public DnsResolver dnsResolver() {
    return new EgressDnsResolver(this);
  }

  /**
   * An HTTP client that connects only where this policy allows, checked on the addresses it
   * connects to (so a name that resolves elsewhere the second time is still refused), without
   * redirects, retries or cookies: for the server's own requests to addresses an operator or a spec
   * names (webhooks, OAuth token endpoints). A refused address fails the request with an exception
   * {@link EgressRefusedException#in(Throwable)} finds.
   *
   * @param timeout to connect, and between two reads of the answer
   * @param connections requests open at once, in all and to one host
   */
  public CloseableHttpClient httpClient(Duration timeout, int connections) {
    Timeout limit = Timeout.of(timeout);
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(dnsResolver())
                .setMaxConnTotal(connections)
                .setMaxConnPerRoute(connections)
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(limit)
                        .setSocketTimeout(limit)
                        .build())
                .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .build();
  }

  /**
   * A name for this policy that a JDBC driver, which builds its socket factory from a class name
   * and a string, passes back to {@link EgressSocketFactory#EgressSocketFactory(String)}.
   */
  public String key() {
    BY_KEY.putIfAbsent(key, this);
    return key;
  }

  /** The policy a driver-built socket factory was given by {@link #key()}. */
  public static Optional<EgressPolicy> byKey(String key) {
    return key == null ? Optional.empty() : Optional.ofNullable(BY_KEY.get(key));
  }

  /**
   * Why a connection to this address and port is refused, or null. {@code port} -1 stands for any
   * port.
   */
  String refusal(String host, InetAddress address, int port) {
    List<InetAddress> forms = new ArrayList<>(List.of(address));
    embeddedIpv4(address).ifPresent(forms::add);
    for (InetAddress form : forms) {
      boolean local = in(LOOPBACK, form) || in(ownAddresses, form);
      if (local && ownPorts.contains(port)) {
        return "it is one of Tributary's own services";
      }
      if (form.isLinkLocalAddress() || in(LINK_LOCAL, form) || in(METADATA, form)) {
        return "link-local and cloud metadata addresses are never reached";
      }
      if (in(deny, form)) {
        return "the operator denies this address (TRIBUTARY_EGRESS_DENY)";
      }
      if (local && !localInstance && !allowed(host, form)) {
        return "it is an address of the Tributary machine itself; the operator can allow it with TRIBUTARY_EGRESS_ALLOW";
      }
    }
    return null;
  }

  private boolean allowed(String host, InetAddress address) {
    if (in(allowRanges, address)) {
      return true;
    }
    if (host != null && allowNames.contains(normalName(host))) {
      return true;
    }
    for (String name : allowNames) {
      try {
        for (InetAddress allowed : InetAddress.getAllByName(name)) {
          if (Arrays.equals(allowed.getAddress(), address.getAddress())) {
            return true;
          }
        }
      } catch (UnknownHostException e) {
        // an allowed name that does not resolve allows nothing
      }
    }
    return false;
  }

  private static boolean in(List<Cidr> ranges, InetAddress address) {
    for (Cidr range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code
   * 64:ff9b::a.b.c.d}) address.
   */
  private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address v6)
        || !(v6.isIPv4CompatibleAddress() || NAT64.contains(v6))) {
      return Optional.empty();
    }
    byte[] bytes = v6.getAddress();
    try {
      return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static List<Cidr> interfaceAddresses() {
    List<Cidr> addresses = new ArrayList<>();
    try {
      for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(network.getInetAddresses())) {
          addresses.add(new Cidr(address.getAddress(), address.getAddress().length * 8));
        }
      }
    } catch (SocketException e) {
      // without the list, loopback and the wildcard addresses still name this machine
    }
    return addresses;
  }

  private static String message(String host, int port, String reason) {
    return "Tributary does not connect to " + target(host, port) + ": " + reason;
  }

  private static String target(String host, int port) {
    String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return shown + (port < 0 ? "" : ":" + port);
  }

  static int defaultPort(String scheme) {
    return "http".equalsIgnoreCase(scheme) ? 80 : 443;
  }

  private static String normalName(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /**
   * The policy's settings; {@link #build()} refuses entries it cannot read rather than ignoring
   * them.
   */
  public static final class Builder {
    private boolean localInstance;
    private final List<Cidr> allowRanges = new ArrayList<>();
    private final List<String> allowNames = new ArrayList<>();
    private final List<Cidr> deny = new ArrayList<>();
    private final List<Integer> ownPorts = new ArrayList<>();

    private Builder() {}

    /**
     * Loopback and this machine's addresses are allowed: the instance listens on loopback alone,
     * embedded.
     */
    public Builder localInstance(boolean local) {
      this.localInstance = local;
      return this;
    }

    /** Comma-separated CIDR ranges, addresses or host names that may be reached although local. */
    public Builder allow(String entries) {
      for (String entry : split(entries)) {
        if (Cidr.looksLikeRange(entry)) {
          allowRanges.add(Cidr.parse(entry));
        } else if (HOST_NAME.matcher(entry).matches()) {
          allowNames.add(normalName(entry));
        } else {
          throw new IllegalArgumentException(
              "'" + entry + "' in the egress allow list is neither a CIDR range nor a host name");
        }
      }
      return this;
    }

    /** Comma-separated CIDR ranges or addresses never reached. */
    public Builder deny(String entries) {
      for (String entry : split(entries)) {
        deny.add(Cidr.parse(entry));
      }
      return this;
    }

    /** A port this process listens on; refused on every local address. */
    public Builder ownPort(int port) {
      if (port > 0) {
        ownPorts.add(port);
      }
      return this;
    }

    public EgressPolicy build() {
      return new EgressPolicy(this);
    }

    private static List<String> split(String entries) {
      if (entries == null || entries.isBlank()) {
        return List.of();
      }
      return Arrays.stream(entries.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .toList();
    }
  }
}
