package io.tributary.connectors.python;

import io.tributary.connectors.external.Sandbox;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Python packages installed each into a virtual environment of its own, one directory per package
 * and version under a root ({@code <data dir>/connectors/python}), the way PyAirbyte installs
 * connectors. An environment counts as installed only once a marker file written after the last
 * step exists, so an install that died half-way is redone, never used; a failed install removes its
 * directory. A file lock per environment keeps two installs of it (threads or processes of one
 * node) from racing.
 */
public final class PythonEnvironments {

  /** A distribution name and an exact version, as pip spells them. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+!_-]{0,63}");
  private static final String MARKER = ".tributary-installed.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int TAIL = 30;
  private static final String SCRATCH = ".install-tmp";

  /**
   * What an install step may read of the server's environment: where pip finds packages (its own
   * settings, proxies, certificates), nothing else.
   */
  private static final Pattern PASSED_ON =
      Pattern.compile(
          "PATH|LANG|LC_ALL|TZ|PIP_[A-Z0-9_]+|(?i:(HTTPS?|NO|ALL)_PROXY)"
              + "|SSL_CERT_(FILE|DIR)|REQUESTS_CA_BUNDLE");

  private final Path root;
  private final String python;
  private final Duration timeout;
  private final Sandbox sandbox;
  private final ConcurrentMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

  /**
   * @param python the interpreter that creates environments ({@code python3}, or a path)
   * @param timeout how long one install may take
   * @param sandbox what install steps run inside: they run a package's build code, as much someone
   *     else's as the connector itself
   */
  public PythonEnvironments(Path root, String python, Duration timeout, Sandbox sandbox) {
    this.root = root.toAbsolutePath().normalize();
    this.python = python;
    this.timeout = timeout;
    this.sandbox = sandbox;
  }

  /** Install steps run as the server's user, without a sandbox. */
  public PythonEnvironments(Path root, String python, Duration timeout) {
    this(root, python, timeout, new Sandbox.None());
  }

  /** An installed package: where its environment is and the command it runs by. */
  public record Installed(Path directory, Path executable, String version) {}

  /** The package's environment if it is installed on this node, else null. */
  public Installed find(String distribution, String version, String entryPoint) {
    Path directory = directory(distribution, version);
    Path marker = directory.resolve(MARKER);
    if (!Files.isRegularFile(marker)) {
      return null;
    }
    try {
      JsonNode installed = JSON.readTree(marker.toFile());
      String executable =
          entryPoint != null ? entryPoint : installed.path("entry_point").asString(null);
      return executable == null
          ? null
          : new Installed(directory, directory.resolve("bin").resolve(executable), version);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Installs {@code distribution==version} unless it is installed already.
   *
   * @param entryPoint the console script to run, or null to take the package's own (its one console
   *     script, or the one named like the package without {@code airbyte-})
   * @param log receives pip's output line by line
   * @throws PythonInstallException when Python cannot create environments or pip fails
   */
  public Installed install(
      String distribution, String version, String entryPoint, Consumer<String> log) {
    requireValid(distribution, version);
    Path directory = directory(distribution, version);
    return exclusively(
        directory,
        () -> {
          Installed installed = find(distribution, version, entryPoint);
          if (installed != null) {
            return installed;
          }
          delete(directory);
          try {
            return createEnvironment(distribution, version, entryPoint, directory, log);
          } catch (RuntimeException e) {
            delete(directory);
            throw e;
          }
        });
  }

  /**
   * Removes a package's environment, waiting for an install of it in progress; true when there was
   * one.
   */
  public boolean remove(String distribution, String version) {
    requireValid(distribution, version);
    Path directory = directory(distribution, version);
    return exclusively(
        directory,
        () -> {
          boolean existed = Files.exists(directory);
          delete(directory);
          return existed;
        });
  }

  /**
   * Runs {@code work} alone on the environment: a lock within this server (a file lock belongs to
   * the whole process, so two threads would not exclude each other with it), then the file lock
   * against other servers sharing the directory.
   */
  private <T> T exclusively(Path directory, Supplier<T> work) {
    ReentrantLock local = locks.computeIfAbsent(directory, d -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = lockFile(directory);
        FileLock lock = channel.lock()) {
      return work.get();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + directory, e);
    } finally {
      local.unlock();
    }
  }

  private FileChannel lockFile(Path directory) throws IOException {
    Files.createDirectories(root);
    return FileChannel.open(
        root.resolve(directory.getFileName() + ".lock"),
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
  }

  private Installed createEnvironment(
      String distribution,
      String version,
      String entryPoint,
      Path directory,
      Consumer<String> log) {
    try {
      // the one directory an install step writes to: it must exist for the sandbox to show it
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + directory, e);
    }
    run(
        List.of(python, "-m", "venv", directory.toString()),
        directory,
        log,
        "Installing Python connectors needs "
            + python
            + " with its venv module (on Debian: apt install python3-venv)");
    Path bin = directory.resolve("bin");
    run(
        List.of(
            bin.resolve("pip").toString(),
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--progress-bar",
            "off",
            distribution + "==" + version),
        directory,
        log,
        "pip could not install " + distribution + "==" + version);
    String executable = entryPoint != null ? entryPoint : entryPoint(directory, distribution, log);
    if (!Files.isExecutable(bin.resolve(executable))) {
      throw new PythonInstallException(
          distribution + " " + version + " has no command named " + executable, List.of());
    }
    try {
      Files.writeString(
          directory.resolve(MARKER),
          JSON.writeValueAsString(
              Map.of("distribution", distribution, "version", version, "entry_point", executable)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    delete(directory.resolve(SCRATCH));
    return new Installed(directory, bin.resolve(executable), version);
  }

  /** The package's console script, read from its metadata as PyAirbyte does. */
  private String entryPoint(Path directory, String distribution, Consumer<String> log) {
    List<String> scripts = new ArrayList<>();
    run(
        List.of(
            directory.resolve("bin").resolve("python").toString(),
            "-c",
            "import importlib.metadata as m, sys\n"
                + "for e in m.distribution(sys.argv[1]).entry_points:\n"
                + "    if e.group == 'console_scripts': print('entry-point:' + e.name)\n",
            distribution),
        directory,
        line -> {
          if (line.startsWith("entry-point:")) {
            scripts.add(line.substring("entry-point:".length()).strip());
          } else {
            log.accept(line);
          }
        },
        "Cannot read the entry points of " + distribution);
    String plain = distribution.toLowerCase().replaceFirst("^airbyte-", "");
    if (scripts.contains(plain)) {
      return plain;
    }
    if (scripts.size() == 1) {
      return scripts.getFirst();
    }
    throw new PythonInstallException(
        distribution
            + " declares "
            + (scripts.isEmpty() ? "no command" : "several commands " + scripts)
            + "; name the one to run",
        List.of());
  }

  /**
   * Runs a step of the install within the install timeout; a failure says {@code failure} and pip's
   * last error line. The step reads no input (a build waiting on a prompt ends at once), and at the
   * deadline it is stopped with every process it started.
   */
  private void run(List<String> command, Path directory, Consumer<String> log, String failure) {
    ArrayDeque<String> tail = new ArrayDeque<>();
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(sandbox.wrap(command, directory))
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().keySet().removeIf(key -> !PASSED_ON.matcher(key).matches());
      builder.environment().put("PIP_NO_INPUT", "1");
      // downloads and builds on disk in the one place the step writes (in a sandbox the temporary
      // directory and the home are empty ones in memory), gone with the install
      Path scratch = Files.createDirectories(directory.resolve(SCRATCH));
      builder.environment().put("TMPDIR", scratch.toString());
      builder.environment().put("PIP_CACHE_DIR", scratch.resolve("cache").toString());
      process = builder.start();
    } catch (IOException e) {
      throw new PythonInstallException(failure + ": " + e.getMessage(), List.of());
    }
    Thread output = Thread.ofVirtual().start(() -> drain(process, log, tail));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process);
        output.join(Duration.ofSeconds(5));
        throw new PythonInstallException(
            failure + ": not done within " + readable(timeout), lines(tail));
      }
      // a process it left behind may hold the output open: it is not waited for long
      output.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new PythonInstallException(failure + ": interrupted", lines(tail));
    }
    if (process.exitValue() != 0) {
      List<String> last = lines(tail);
      String reason =
          last.stream()
              .filter(line -> line.startsWith("ERROR:") || line.contains("Error"))
              .reduce((first, second) -> second)
              .map(line -> ": " + line.replaceFirst("^ERROR:\\s*", "").strip())
              .orElse(" (exit code " + process.exitValue() + ")");
      throw new PythonInstallException(failure + reason, last);
    }
  }

  private static String readable(Duration timeout) {
    return timeout.toSeconds() % 60 == 0
        ? timeout.toMinutes() + " minutes"
        : timeout.toSeconds() + " seconds";
  }

  /** Hands the step's output to {@code log} line by line, keeping the last lines. */
  private static void drain(Process process, Consumer<String> log, ArrayDeque<String> tail) {
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        log.accept(line);
        synchronized (tail) {
          if (tail.size() == TAIL) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
    } catch (IOException e) {
      // the step was stopped; what it said so far is kept
    }
  }

  private static List<String> lines(ArrayDeque<String> tail) {
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  /** Stops a step and what it started (a build backend, a compiler), children first. */
  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private Path directory(String distribution, String version) {
    return root.resolve(distribution.toLowerCase() + "-" + version);
  }

  private static void requireValid(String distribution, String version) {
    if (!NAME.matcher(distribution).matches()) {
      throw new IllegalArgumentException("Not a Python package name: " + distribution);
    }
    if (version == null || !VERSION.matcher(version).matches() || version.contains("..")) {
      throw new IllegalArgumentException("Not an exact package version: " + version);
    }
  }

  private static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> all = Files.walk(directory)) {
      all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove " + directory, e);
    }
  }
}
