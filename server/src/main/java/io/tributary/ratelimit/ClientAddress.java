package io.tributary.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/** Who a request comes from, for limits kept per client address. */
public final class ClientAddress {

  private ClientAddress() {}

  /**
   * An IPv4 address as it is; an IPv6 address by its /64, because one subscriber usually holds a
   * whole /64 and could otherwise take a fresh address for every guess. IPv4-mapped IPv6 addresses
   * count as IPv4.
   */
  public static String key(String address) {
    if (address == null || address.indexOf(':') < 0) {
      return String.valueOf(address);
    }
    try {
      // a literal (it has a colon), so no name lookup happens
      InetAddress parsed = InetAddress.getByName(address);
      if (!(parsed instanceof Inet6Address)) {
        return parsed.getHostAddress();
      }
      byte[] prefix = Arrays.copyOf(parsed.getAddress(), 8);
      return HexFormat.of().formatHex(prefix) + "::/64";
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
