package io.tributary.connectors.files;

import io.tributary.connector.ConnectorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one directory local-file connectors may touch ({@code TRIBUTARY_LOCAL_ROOT}, default {@code ./data/local}).
 * Paths in configurations are read the way Airbyte reads them: {@code /local/x} means {@code x} under the root.
 * Nothing resolves outside it: no {@code ..}, no absolute path elsewhere, no symbolic link out.
 */
public record LocalRoot(Path root) {

  public static LocalRoot fromEnvironment() {
    String configured = System.getenv("TRIBUTARY_LOCAL_ROOT");
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("tributary.local-root", Path.of(System.getProperty("tributary.data-dir", "./data"), "local").toString());
    }
    return new LocalRoot(Path.of(configured));
  }

  /**
   * The directory a configured path names, created if missing.
   *
   * @throws ConnectorException (config error) when the path leaves the root
   */
  public Path resolve(String configured) {
    if (configured == null || configured.isBlank()) {
      throw ConnectorException.config("destination_path is required");
    }
    String relative = configured.replace('\\', '/');
    if (relative.equals("/local") || relative.startsWith("/local/")) {
      relative = relative.substring("/local".length());
    } else if (relative.startsWith("/")) {
      throw ConnectorException.config("'" + configured + "' is outside the local root: use a path under /local/");
    }
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    try {
      Path base = Files.createDirectories(root).toRealPath();
      Path target = base.resolve(relative).normalize();
      if (!target.startsWith(base)) {
        throw ConnectorException.config("'" + configured + "' leaves the local root");
      }
      Files.createDirectories(target);
      if (!target.toRealPath().startsWith(base)) {
        throw ConnectorException.config("'" + configured + "' leads outside the local root through a link");
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A name from a source used as one path segment: no separators, no dot-dot. */
  public static String segment(String name) {
    String safe = name.replace('/', '_').replace('\\', '_').replace('\0', '_');
    return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "_" + safe.replace('.', '_') : safe;
  }
}
