package io.tributary.definition;

import io.tributary.connectors.external.Sandbox;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses what connector processes run inside, from {@code tributary.connector-sandbox}: {@code
 * auto} (bubblewrap when it works on this machine, else none, said once in the log), {@code
 * bubblewrap} (required: the server does not start without it) or {@code none}.
 */
final class ConnectorSandbox {

  private static final Logger log = LoggerFactory.getLogger(ConnectorSandbox.class);
  private static final String BWRAP = "bwrap";

  private ConnectorSandbox() {}

  /**
   * @param hidden the directories no connector may look into
   * @throws IllegalStateException when bubblewrap is required and does not run here
   */
  static Sandbox choose(String setting, List<Path> hidden) {
    String mode = setting.strip().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "none" -> {
        log.info("Connector processes run without a sandbox (TRIBUTARY_CONNECTOR_SANDBOX=none)");
        return new Sandbox.None();
      }
      case "auto", "bubblewrap" -> {
        var sandbox = Sandbox.bubblewrap(BWRAP, hidden);
        if (sandbox.isPresent()) {
          log.info("Connector processes run in a bubblewrap sandbox");
          return sandbox.get();
        }
        if (mode.equals("bubblewrap")) {
          throw new IllegalStateException(
              "TRIBUTARY_CONNECTOR_SANDBOX=bubblewrap, but bwrap does not run here: install"
                  + " bubblewrap (Debian: apt-get install bubblewrap) and allow user namespaces");
        }
        log.warn(
            "Connector processes run without a sandbox: bwrap is not installed or cannot create"
                + " namespaces here, so a connector can read what the server's user can read."
                + " Install bubblewrap (Debian: apt-get install bubblewrap)");
        return new Sandbox.None();
      }
      default ->
          throw new IllegalArgumentException(
              "TRIBUTARY_CONNECTOR_SANDBOX must be auto, bubblewrap or none, not '"
                  + setting
                  + "'");
    }
  }
}
