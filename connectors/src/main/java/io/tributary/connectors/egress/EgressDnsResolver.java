package io.tributary.connectors.egress;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Resolves for Apache HttpClient 5, which then connects only to the addresses returned: those the
 * policy allows for the port. Address literals come through here too (the client resolves every
 * host name it is given). When every address is refused the refusal is thrown, unchecked since the
 * interface allows only {@link UnknownHostException}; callers find it with {@link
 * EgressRefusedException#in(Throwable)}.
 */
final class EgressDnsResolver implements DnsResolver {

  private final EgressPolicy policy;

  EgressDnsResolver(EgressPolicy policy) {
    this.policy = policy;
  }

  @Override
  public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    List<InetSocketAddress> allowed = new ArrayList<>();
    EgressRefusedException refused = null;
    for (InetAddress address : InetAddress.getAllByName(host)) {
      InetSocketAddress target =
          new InetSocketAddress(InetAddress.getByAddress(host, address.getAddress()), port);
      try {
        policy.check(target);
        allowed.add(target);
      } catch (EgressRefusedException e) {
        refused = refused == null ? e : refused;
      }
    }
    if (allowed.isEmpty() && refused != null) {
      throw new UncheckedIOException(refused);
    }
    return allowed;
  }

  /**
   * Without a port the client's own listeners cannot be told apart: only the port-independent rules
   * apply.
   */
  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    List<InetAddress> allowed = new ArrayList<>();
    for (InetAddress address : InetAddress.getAllByName(host)) {
      if (policy.refusal(host, address, -1) == null) {
        allowed.add(address);
      }
    }
    if (allowed.isEmpty()) {
      throw new UnknownHostException("Tributary does not connect to " + host);
    }
    return allowed.toArray(InetAddress[]::new);
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
  }
}
