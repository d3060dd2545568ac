package io.tributary.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL that runs under the data directory when no database URL is configured.
 *
 * <p>A server process holds {@code server.lock} for its lifetime and owns the PostgreSQL it starts.
 * A CLI process started next to a running server connects to that server's PostgreSQL (its port is
 * in {@code postmaster.pid}) instead of starting a second one; with no server running it starts
 * PostgreSQL for the duration of the command.
 *
 * <p>It is durable: it holds sealed secrets and token signing keys, so a commit is on disk before
 * it is acknowledged. zonky's builder, made for tests, starts PostgreSQL with {@code -F} (fsync
 * off) and {@code synchronous_commit=off}; the {@code -c} settings below come after {@code -F} on
 * PostgreSQL's command line and win. Only tests turn durability off, for speed. Writes that may be
 * lost harmlessly ask for asynchronous commit themselves ({@link AsyncCommit}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  static final String DATABASE = "tributary";

  private final EmbeddedPostgres postgres;
  private final int port;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres, int port, FileChannel lockChannel, FileLock lock) {
    this.postgres = postgres;
    this.port = port;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts PostgreSQL for a server process; fails when another server already runs on this data
   * directory.
   */
  public static EmbeddedPostgresServer startForServer(Path dataDir, boolean durable) {
    FileChannel channel = openLock(dataDir);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lock == null) {
      close(channel);
      throw new IllegalStateException(
          "Another Tributary server is already running on data directory "
              + dataDir.toAbsolutePath()
              + "; stop it or choose another TRIBUTARY_DATA_DIR");
    }
    // No server holds the lock, so a PostgreSQL still running here was orphaned by a killed server.
    runningPort(pgData(dataDir)).ifPresent(orphanPort -> stopOrphan(pgData(dataDir)));
    return new EmbeddedPostgresServer(start(dataDir, durable), -1, channel, lock);
  }

  /**
   * For the CLI: the running server's PostgreSQL when there is one, else a PostgreSQL of its own.
   */
  public static EmbeddedPostgresServer connectOrStart(Path dataDir, boolean durable) {
    Optional<Integer> running = runningPort(pgData(dataDir));
    if (running.isPresent() && canConnect(running.get())) {
      return new EmbeddedPostgresServer(null, running.get(), null, null);
    }
    return startForServer(dataDir, durable);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  public String username() {
    return "postgres";
  }

  int port() {
    return postgres != null ? postgres.getPort() : port;
  }

  @Override
  public void close() {
    try {
      if (postgres != null) {
        postgres.close();
      }
      if (lock != null) {
        lock.release();
      }
    } catch (IOException e) {
      log.warn("Could not stop the embedded PostgreSQL cleanly", e);
    } finally {
      if (lockChannel != null) {
        close(lockChannel);
      }
    }
  }

  private static EmbeddedPostgres start(Path dataDir, boolean durable) {
    try {
      Path pgData = pgData(dataDir);
      Files.createDirectories(pgData);
      log.info("Starting embedded PostgreSQL in {}", pgData.toAbsolutePath());
      if (!durable) {
        log.warn(
            "The embedded PostgreSQL runs without fsync: a crash may lose or corrupt data (for tests only)");
      }
      String sync = durable ? "on" : "off";
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(false)
              .setServerConfig("listen_addresses", "localhost")
              .setServerConfig("fsync", sync)
              .setServerConfig("synchronous_commit", sync)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
              .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
              .start();
      createDatabaseIfMissing(postgres.getPort());
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
    }
  }

  private static void createDatabaseIfMissing(int port) {
    String url = "jdbc:postgresql://localhost:" + port + "/postgres";
    try (var connection = DriverManager.getConnection(url, "postgres", "");
        var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, DATABASE);
      if (!exists.executeQuery().next()) {
        connection.createStatement().execute("create database " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create the embedded database", e);
    }
  }

  private static Path pgData(Path dataDir) {
    return dataDir.resolve("postgres");
  }

  /** PostgreSQL writes its pid on the first line of postmaster.pid and its port on the fourth. */
  private static Optional<Integer> runningPort(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      long pid = Long.parseLong(lines.get(0).trim());
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return Optional.of(Integer.parseInt(lines.get(3).trim()));
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void stopOrphan(Path pgData) {
    try {
      long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
      ProcessHandle.of(pid)
          .ifPresent(
              process -> {
                log.warn(
                    "Stopping an embedded PostgreSQL (pid {}) left running by a server that did not shut down",
                    pid);
                process.destroy();
                try {
                  process.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                  process.destroyForcibly();
                }
              });
    } catch (IOException | RuntimeException e) {
      log.warn("Could not inspect a leftover postmaster.pid", e);
    }
  }

  private static boolean canConnect(int port) {
    try (var ignored =
        DriverManager.getConnection(
            "jdbc:postgresql://localhost:" + port + "/" + DATABASE, "postgres", "")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static FileChannel openLock(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      return FileChannel.open(
          dataDir.resolve("server.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot use data directory " + dataDir.toAbsolutePath(), e);
    }
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }
}
