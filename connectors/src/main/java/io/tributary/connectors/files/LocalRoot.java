package io.tributary.connectors.files;

import io.tributary.connector.ConnectorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one directory an organization's local-file connectors may touch: {@code <local
 * root>/<organization id>}, handed to them by the runtime. Paths in configurations are read the way
 * Airbyte reads them: {@code /local/x} (or plain {@code x}) means {@code x} in this directory.
 *
 * <p>Nothing leads out of it, nor to anything but a plain name in it: a path is refused when it
 * holds {@code .} or {@code ..} segments, an absolute path elsewhere, backslashes, control
 * characters, percent-encoding, wildcards ({@code * ? [ ] { }}), a colon (URLs, drive letters,
 * DuckDB's {@code md:}) or a semicolon (DuckDB's JDBC URL reads {@code ;key=value} after the path
 * as connection options), and a symbolic link anywhere below the directory is refused rather than
 * followed, so a link planted inside cannot lead to another organization's files. DuckDB gets the
 * resulting absolute path, which it can no longer read as a glob or URL. Links are checked when a
 * path is resolved: only someone with access to the machine's disk, never an end user, could swap
 * one in between.
 */
public record LocalRoot(Path root) {

  private static final String FORBIDDEN = "\\%*?[]{}:";

  /** The directory of one organization under the instance's local root. */
  public static LocalRoot of(Path instanceRoot, UUID organizationId) {
    return new LocalRoot(instanceRoot.resolve(organizationId.toString()));
  }

  /**
   * The directory a configured path names, with {@code names} (a namespace, a stream: each made one
   * safe segment) below it, created if missing.
   *
   * @throws ConnectorException (config error) when the path is not a plain path inside this
   *     directory
   */
  public Path directory(String configured, String... names) {
    List<String> segments = new ArrayList<>(segments(configured));
    for (String name : names) {
      segments.add(localSegment(name));
    }
    return walk(configured, segments, true);
  }

  /**
   * An existing regular file a configured path names, for reading.
   *
   * @throws ConnectorException (config error) when the path is refused or there is no such file
   */
  public Path existingFile(String configured) {
    List<String> segments = segments(configured);
    if (segments.isEmpty()) {
      throw ConnectorException.config("'" + configured + "' names no file under /local/");
    }
    Path file = walk(configured, segments, false);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw notFound(configured);
    }
    return file;
  }

  /**
   * A file a configured path names, which may not exist yet, in a directory created if missing.
   *
   * @throws ConnectorException (config error) when the path is refused or names something other
   *     than a file
   */
  public Path file(String configured) {
    List<String> segments = segments(configured);
    if (segments.isEmpty() || configured.endsWith("/")) {
      throw ConnectorException.config("'" + configured + "' names no file under /local/");
    }
    Path directory = walk(configured, segments.subList(0, segments.size() - 1), true);
    Path file = directory.resolve(segments.getLast());
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw ConnectorException.config(
          "'"
              + configured
              + "' is not a plain file under /local/ (symbolic links are not followed)");
    }
    return file;
  }

  /**
   * A name from a source used as one path segment: no separators, no dot-dot (object keys use it
   * too).
   */
  public static String segment(String name) {
    String safe = name.replace('/', '_').replace('\\', '_').replace('\0', '_');
    return safe.isEmpty() || safe.equals(".") || safe.equals("..")
        ? "_" + safe.replace('.', '_')
        : safe;
  }

  /**
   * {@link #segment} that also replaces what {@link #segments} refuses: stream names become
   * directory names.
   */
  private static String localSegment(String name) {
    StringBuilder safe = new StringBuilder(name.length());
    for (char c : segment(name).toCharArray()) {
      safe.append(c < 0x20 || c == 0x7f || FORBIDDEN.indexOf(c) >= 0 ? '_' : c);
    }
    return safe.toString();
  }

  /**
   * The path's segments below this directory; refuses whatever could lead elsewhere or be read as a
   * pattern.
   */
  private static List<String> segments(String configured) {
    if (configured == null || configured.isBlank()) {
      throw ConnectorException.config("A path under /local/ is required");
    }
    for (char c : configured.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        throw refused(configured, "control characters are not allowed");
      }
      if (c == ';') {
        throw refused(
            configured, "';' is not allowed (DuckDB reads what follows it as connection options)");
      }
      if (FORBIDDEN.indexOf(c) >= 0) {
        throw refused(
            configured,
            c == '\\'
                ? "use '/' to separate directories"
                : c == '%'
                    ? "percent-encoded characters are not allowed"
                    : c == ':'
                        ? "URLs and drive letters are not allowed"
                        : "wildcards are not allowed");
      }
    }
    String relative = configured.strip();
    if (relative.equals("/local") || relative.startsWith("/local/")) {
      relative = relative.substring("/local".length());
    } else if (relative.startsWith("/") || relative.startsWith("~")) {
      throw refused(configured, "use a path under /local/");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : relative.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw refused(configured, "'.' and '..' are not allowed");
      }
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return segments;
  }

  /**
   * Goes down segment by segment, creating directories if asked, refusing every symbolic link on
   * the way.
   */
  private Path walk(String configured, List<String> segments, boolean create) {
    try {
      Path current = Files.createDirectories(root).toRealPath();
      for (String segment : segments) {
        current = current.resolve(segment);
        if (Files.isSymbolicLink(current)) {
          throw refused(configured, "symbolic links are not followed");
        }
        if (create && !Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
          try {
            Files.createDirectory(current);
          } catch (FileAlreadyExistsException raced) {
            // created meanwhile; checked below like any other
          }
        }
        if (Files.isSymbolicLink(current)) {
          throw refused(configured, "symbolic links are not followed");
        }
      }
      if (create && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(configured, "it is not a directory");
      }
      return current;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConnectorException refused(String configured, String why) {
    return ConnectorException.config("'" + configured + "' is not a path under /local/: " + why);
  }

  private static ConnectorException notFound(String configured) {
    return ConnectorException.config("File '" + configured + "' not found under the local root");
  }
}
