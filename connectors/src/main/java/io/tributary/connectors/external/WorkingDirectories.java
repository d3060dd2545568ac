package io.tributary.connectors.external;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where connector processes work: a directory each, inside one parent per server process. A run's
 * directory holds its decrypted configuration and is deleted when the run ends; a server that dies
 * (killed, out of memory, its machine restarted) cannot, so the parent is locked for as long as its
 * server lives, and a parent whose lock is free is what a dead server left: the next server deletes
 * it. A file lock, not a process id, tells: it holds across containers sharing a temporary
 * directory and is released by the kernel however the process ends.
 */
public final class WorkingDirectories {

  private static final String PREFIX = "tributary-connectors-";
  private static final String LOCK = ".lock";
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private static Path parent;

  /** Held for the life of the process: the lock says the parent's server is running. */
  private static FileLock held;

  private WorkingDirectories() {}

  /** A new owner-only directory for one connector run. */
  static Path create() throws IOException {
    try {
      return Files.createTempDirectory(parent(), "run-", OWNER_ONLY);
    } catch (NoSuchFileException e) {
      // the parent is gone (a cleaner of the temporary directory): a new one
      forgetParent();
      return Files.createTempDirectory(parent(), "run-", OWNER_ONLY);
    }
  }

  /**
   * Deletes what servers that are no longer running left in {@code temporary}: their runs'
   * directories, configurations and all.
   */
  public static void removeLeftBehind(Path temporary) {
    try (Stream<Path> entries = Files.list(temporary)) {
      entries
          .filter(entry -> entry.getFileName().toString().startsWith(PREFIX))
          .filter(WorkingDirectories::abandoned)
          .forEach(WorkingDirectories::delete);
    } catch (IOException | UncheckedIOException e) {
      // nothing to sweep, or nothing readable: the runs of this server are unaffected
    }
  }

  private static synchronized Path own() {
    return parent;
  }

  private static synchronized Path parent() throws IOException {
    if (parent == null) {
      Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
      removeLeftBehind(temporary);
      // made and locked under a name no sweep looks at, then renamed into view: another server's
      // sweep never finds it unlocked
      String name = PREFIX + UUID.randomUUID();
      Path staged = Files.createDirectory(temporary.resolve("." + name), OWNER_ONLY);
      FileChannel channel =
          FileChannel.open(
              staged.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      held = channel.lock();
      parent = Files.move(staged, temporary.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
    return parent;
  }

  private static synchronized void forgetParent() throws IOException {
    if (held != null) {
      held.channel().close();
      held = null;
    }
    parent = null;
  }

  /** Whether no running server holds the parent's lock (one being created is left alone). */
  private static boolean abandoned(Path candidate) {
    Path lock = candidate.resolve(LOCK);
    // never this server's own: closing another channel to its lock file would release the lock
    if (candidate.equals(own()) || !Files.isRegularFile(lock)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
        FileLock free = channel.tryLock()) {
      return free != null;
    } catch (OverlappingFileLockException | IOException e) {
      return false;
    }
  }

  private static void delete(Path directory) {
    try (Stream<Path> all = Files.walk(directory)) {
      all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // tried again by the next server
    }
  }
}
