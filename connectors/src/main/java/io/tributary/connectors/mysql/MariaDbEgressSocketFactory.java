package io.tributary.connectors.mysql;

import io.tributary.connectors.egress.EgressPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.util.ConfigurableSocketFactory;

/**
 * The egress policy's sockets for MariaDB Connector/J, which builds its {@code socketFactory} by
 * class name and then hands it the connection's options: the policy is found by the key in option
 * {@value #OPTION}.
 */
public final class MariaDbEgressSocketFactory extends ConfigurableSocketFactory {

  static final String OPTION = "tributaryEgress";
  private SocketFactory sockets;

  public MariaDbEgressSocketFactory() {}

  @Override
  public void setConfiguration(Configuration configuration, String host) {
    sockets =
        EgressPolicy.byKey(configuration.nonMappedOptions().getProperty(OPTION))
            .map(EgressPolicy::socketFactory)
            .orElse(null);
  }

  private SocketFactory sockets() throws IOException {
    if (sockets == null) {
      throw new IOException("No egress policy for this connection");
    }
    return sockets;
  }

  @Override
  public Socket createSocket() throws IOException {
    return sockets().createSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return sockets().createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return sockets().createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return sockets().createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return sockets().createSocket(address, port, localAddress, localPort);
  }
}
