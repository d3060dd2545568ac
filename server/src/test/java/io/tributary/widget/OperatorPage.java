package io.tributary.widget;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An operator's page on its own origin ({@code http://127.0.0.1:<port>}): it fetches a widget token
 * from its "backend" ({@code /token}, whatever the test last set) and opens Tributary's widget with
 * the embed script, recording every event the widget reports in {@code window.events}.
 */
final class OperatorPage implements AutoCloseable {

  private final HttpServer server;
  private final AtomicReference<String> token = new AtomicReference<>("");

  OperatorPage(String tributaryUrl) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String html =
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Acme Analytics</title><script src="%s/widget/v1/widget.js"></script></head>
        <body>
          <h1>Acme Analytics</h1>
          <button id="connect">Connect your data</button>
          <script>
            window.events = [];
            document.getElementById("connect").addEventListener("click", async () => {
              const token = await (await fetch("/token")).text();
              window.widget = new AirbyteEmbeddedWidget({ token, onEvent: (event) => window.events.push(event) });
              window.widget.open();
            });
          </script>
        </body></html>"""
            .formatted(tributaryUrl);
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              (exchange.getRequestURI().getPath().equals("/token") ? token.get() : html)
                  .getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add(
                  "Content-Type",
                  exchange.getRequestURI().getPath().equals("/token") ? "text/plain" : "text/html");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void serveToken(String widgetToken) {
    token.set(widgetToken);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
