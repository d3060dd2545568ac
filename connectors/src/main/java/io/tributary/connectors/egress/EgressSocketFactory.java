package io.tributary.connectors.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Plain sockets that ask the policy in {@code connect}, on the resolved address, before connecting.
 * pgjdbc builds it by name ({@code socketFactory}) with the policy's {@link EgressPolicy#key() key}
 * as {@code socketFactoryArg}; TLS is layered on the connected socket, so it is covered too.
 */
public final class EgressSocketFactory extends SocketFactory {

  private final EgressPolicy policy;

  /** For pgjdbc; a key no policy answers to fails every connection rather than allowing it. */
  public EgressSocketFactory(String key) {
    this(
        EgressPolicy.byKey(key)
            .orElseThrow(
                () -> new IllegalArgumentException("No egress policy for this connection")));
  }

  EgressSocketFactory(EgressPolicy policy) {
    this.policy = policy;
  }

  @Override
  public Socket createSocket() {
    return new GuardedSocket(policy);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
  }

  private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * {@link Socket#connect(SocketAddress)} and every other connect path end in {@link
   * #connect(SocketAddress, int)}.
   */
  static final class GuardedSocket extends Socket {
    private final EgressPolicy policy;

    GuardedSocket(EgressPolicy policy) {
      this.policy = policy;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!(endpoint instanceof InetSocketAddress target)) {
        throw new EgressRefusedException("Tributary connects to network addresses only");
      }
      policy.check(target);
      super.connect(endpoint, timeout);
    }
  }
}
