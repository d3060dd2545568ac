package io.tributary.connectors.external;

import io.tributary.connector.CallDeadline;
import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of an Airbyte-protocol connector: a child process speaking JSON lines on stdout (and
 * stdin for destinations), its stderr forwarded to the log. It runs in a working directory of its
 * own (owner-only, removed when it ends, also its {@code HOME} and {@code TMPDIR}) holding its
 * config and catalog files, with an environment reduced to what the connector needs, and it is
 * ended together with every process it started. Lines that are not JSON are logged, as the protocol
 * allows.
 */
final class ConnectorProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConnectorProcess.class);
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /**
   * The longest protocol message read: Airbyte records can be large, not unbounded, and a line is
   * held whole in memory.
   */
  static final int MAX_MESSAGE_CHARS = 64 << 20;

  /** The longest stderr line kept; the rest of it is skipped (the tail keeps less anyway). */
  private static final int MAX_STDERR_CHARS = 64 << 10;

  /** Nothing of the server's environment reaches a connector except these. */
  private static final List<String> PASSED_ON = List.of("PATH", "LANG", "LC_ALL", "TZ");

  private final Process process;
  private final BoundedLineReader stdout;
  private final BufferedWriter stdin;
  private final Path directory;
  private final String name;
  private final OutputTail tail;
  private final Thread stderrReader;
  private volatile ProtocolEvents events = ProtocolEvents.NONE;

  private ConnectorProcess(Process process, Path directory, String name, OutputTail tail) {
    this.process = process;
    this.directory = directory;
    this.name = name;
    this.tail = tail;
    this.stdout =
        BoundedLineReader.failing(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8),
            MAX_MESSAGE_CHARS);
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
    // a platform thread: the tail must be complete when the process has exited, even on a machine
    // under load
    this.stderrReader =
        Thread.ofPlatform()
            .daemon()
            .name(name + "-stderr")
            .start(
                () -> {
                  try (BoundedLineReader stderr =
                      BoundedLineReader.truncating(
                          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8),
                          MAX_STDERR_CHARS)) {
                    for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
                      log.info("[{}] {}", name, tail.addStderr(line));
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                });
  }

  /**
   * Starts the connector with the protocol verb and its file arguments.
   *
   * @param files file arguments by flag ({@code --config}, {@code --catalog}, {@code --state}),
   *     written before start
   * @param secretKeys field names the connector's spec marks secret: their values never reach a log
   */
  static ConnectorProcess start(
      ConnectorLaunch launch, String verb, List<FileArgument> files, Set<String> secretKeys) {
    List<String> arguments = new ArrayList<>(launch.command());
    arguments.add(verb);
    Path directory = null;
    try {
      directory = WorkingDirectories.create();
      for (FileArgument file : files) {
        Path path = directory.resolve(file.flag().replace("-", "") + ".json");
        Files.write(path, JSON.writeValueAsBytes(file.content()));
        arguments.add(file.flag());
        arguments.add(path.toString());
      }
      ProcessBuilder builder =
          new ProcessBuilder(launch.sandbox().wrap(arguments, directory))
              .directory(directory.toFile());
      Map<String, String> environment = builder.environment();
      Map<String, String> inherited = Map.copyOf(environment);
      environment.clear();
      PASSED_ON.stream()
          .filter(inherited::containsKey)
          .forEach(key -> environment.put(key, inherited.get(key)));
      environment.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
      environment.putIfAbsent("LANG", "C.UTF-8");
      environment.put("HOME", directory.toString());
      environment.put("TMPDIR", directory.toString());
      environment.put("DO_NOT_TRACK", "1");
      environment.putAll(launch.environment());
      Process process = builder.start();
      JsonNode config =
          files.stream()
              .filter(f -> f.flag().equals("--config"))
              .map(FileArgument::content)
              .findFirst()
              .orElse(null);
      return new ConnectorProcess(
          process,
          directory,
          Path.of(launch.command().getLast()).getFileName() + " " + verb,
          OutputTail.forConfig(config, secretKeys));
    } catch (IOException e) {
      deleteQuietly(directory);
      throw new ConnectorException(
          FailureType.CONFIG_ERROR,
          // the program's name only: the rest of a command line may carry what its admin passed it
          "Cannot start connector '"
              + Path.of(launch.command().getFirst()).getFileName()
              + "': "
              + e.getMessage(),
          e);
    }
  }

  /** Where the connector's LOG, TRACE and CONTROL messages go besides the log. */
  void listen(ProtocolEvents events) {
    this.events = events;
  }

  /** Hides a value the connector was given later (a configuration it rotated) from every log. */
  void addSecrets(JsonNode config, Set<String> secretKeys) {
    tail.addSecrets(config, secretKeys);
  }

  /** The text with every secret of the connector's configuration replaced, for a user to read. */
  String scrub(String text) {
    return tail.scrub(text);
  }

  record FileArgument(String flag, JsonNode content) {}

  /**
   * The next protocol message, or null at the end of stdout. LOG messages and non-JSON lines go to
   * the log, TRACE and CONTROL messages to the {@link #listen listener}.
   */
  JsonNode next() {
    return next(null);
  }

  /**
   * The next protocol message like {@link #next()}, except that RECORD messages are handed to
   * {@code records} to parse as they stream by (no tree per record), after which this returns
   * {@link #RECORD}.
   */
  JsonNode next(RecordParser records) {
    try {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message;
        try {
          message = parse(line, records);
        } catch (JacksonException notJson) {
          log.info("[{}] {}", name, tail.add(line));
          continue;
        }
        if (message == RECORD) {
          return RECORD;
        }
        String type = message.path("type").asString("");
        switch (type) {
          case "LOG" -> {
            String level = message.path("log").path("level").asString("INFO");
            String text = message.path("log").path("message").asString("");
            String scrubbed =
                oneLine(
                    level.equals("ERROR") || level.equals("FATAL")
                        ? tail.addError(text)
                        : tail.scrub(text));
            log.info("[{}] {}", name, scrubbed);
            events.log(level, scrubbed);
          }
          case "TRACE" -> {
            JsonNode trace = message.path("trace");
            if (trace.path("type").asString("").equals("ERROR")) {
              throw failure(trace.path("error"));
            }
            events.trace(trace);
          }
          case "CONTROL" -> {
            JsonNode config = message.path("control").path("connectorConfig").path("config");
            if (config instanceof ObjectNode object) {
              events.configChanged(object);
            }
          }
          default -> {
            return message;
          }
        }
      }
      return null;
    } catch (BoundedLineReader.LineTooLongException e) {
      throw new ConnectorException(
          FailureType.SYSTEM_ERROR,
          name
              + ": a message from the connector is longer than "
              + (MAX_MESSAGE_CHARS >> 20)
              + " MiB",
          e,
          output());
    } catch (IOException e) {
      throw ConnectorException.transientError(
          "Lost the output of " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A log message on one line, its line breaks shown as {@code \n}: a connector must not be able to
   * write lines that read as the server's own (log forging).
   */
  static String oneLine(String text) {
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }

  /** What {@link #next(RecordParser)} returns for a record it handed over. */
  static final JsonNode RECORD = JSON.getNodeFactory().objectNode().put("type", "RECORD");

  /** Parses a RECORD message's {@code record} object, the parser positioned at its start. */
  interface RecordParser {
    void parse(JsonParser parser);
  }

  /**
   * One line as a message; a RECORD goes to {@code records} without building its tree (its {@code
   * type} comes first, as every Airbyte CDK writes it; else the line is read whole).
   */
  private static JsonNode parse(String line, RecordParser records) {
    if (records == null) {
      return JSON.readTree(line);
    }
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT
          || !"type".equals(parser.nextName())
          || !"RECORD".equals(parser.nextStringValue())
          || !"record".equals(parser.nextName())) {
        return JSON.readTree(line);
      }
      parser.nextToken();
      records.parse(parser);
      return RECORD;
    }
  }

  /**
   * The first message of this type, reading to it; fails when the process ends without one, and
   * stops the process when none came within {@code timeout} or by the caller's {@link
   * CallDeadline}.
   */
  JsonNode expect(String type, Duration ownTimeout) {
    Duration timeout = CallDeadline.cap(ownTimeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    var result = new CompletableFuture<JsonNode>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                for (JsonNode message = next(); message != null; message = next()) {
                  if (type.equals(message.path("type").asString(""))) {
                    result.complete(message);
                    return;
                  }
                }
                result.complete(null);
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    try {
      JsonNode message =
          result.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (message == null) {
        throw died("ended without a " + type + " message", exitCode());
      }
      return message;
    } catch (TimeoutException e) {
      close();
      throw new ConnectorException(
          FailureType.TRANSIENT_ERROR,
          name
              + (timeout.equals(ownTimeout)
                  ? " did not answer within " + timeout.toSeconds() + " seconds"
                  : " did not answer before its caller stopped waiting"));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw ConnectorException.transientError("Interrupted while waiting for " + name, e);
    }
  }

  void send(JsonNode message) {
    try {
      stdin.write(JSON.writeValueAsString(message));
      stdin.write('\n');
    } catch (IOException e) {
      throw ConnectorException.transientError(
          name + " stopped reading its input: " + e.getMessage(), e);
    }
  }

  void flush() {
    try {
      stdin.flush();
    } catch (IOException e) {
      throw ConnectorException.transientError(
          name + " stopped reading its input: " + e.getMessage(), e);
    }
  }

  /** Ends the process's input: a destination then flushes and ends. */
  void closeInput() {
    try {
      stdin.close();
    } catch (IOException e) {
      // it has stopped reading already; finish() says why
    }
  }

  /** Closes stdin and waits for the process to end; a non-zero exit is a failure. */
  void finish(Duration timeout) {
    try {
      stdin.close();
      while (next() != null) {
        // drain what is left so the process is not blocked writing
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ConnectorException(
            FailureType.TRANSIENT_ERROR,
            name + " did not finish within " + timeout.toSeconds() + " seconds");
      }
      if (process.exitValue() != 0) {
        throw died("failed", process.exitValue());
      }
    } catch (IOException e) {
      throw ConnectorException.transientError(name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ConnectorException.transientError("Interrupted while waiting for " + name, e);
    }
  }

  private Integer exitCode() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Ends the process and every process it started (politely, then by force) and removes its working
   * directory.
   */
  @Override
  public void close() {
    // descendants first: once the connector is gone its children are re-parented and out of reach
    List<ProcessHandle> children = process.descendants().toList();
    if (process.isAlive()) {
      children.forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    deleteQuietly(directory);
  }

  /**
   * Ends the process and what it started at once, from any thread, without waiting: a read of its
   * output then ends. {@link #close()} still cleans up.
   */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** The process's id, for those who need to signal it (tests that kill a connector mid-read). */
  long pid() {
    return process.pid();
  }

  /** The connector said why it failed (TRACE error): its message is what the user reads. */
  private ConnectorException failure(JsonNode error) {
    FailureType type =
        switch (error.path("failure_type").asString("system_error")) {
          case "config_error" -> FailureType.CONFIG_ERROR;
          case "transient_error" -> FailureType.TRANSIENT_ERROR;
          default -> FailureType.SYSTEM_ERROR;
        };
    String internal = error.path("internal_message").asString("");
    if (!internal.isBlank()) {
      tail.add(internal);
    }
    error.path("stack_trace").asString("").lines().forEach(tail::add);
    String message = error.path("message").asString("");
    return new ConnectorException(
        type,
        tail.scrub(message.isBlank() ? name + " reported an error" : message),
        null,
        output());
  }

  /**
   * The process ended without saying why in the protocol: its last error log or stderr line says it
   * instead.
   */
  private ConnectorException died(String what, Integer exitCode) {
    List<String> output = output();
    String reason = tail.reason();
    // killed from outside (SIGKILL by the OOM killer or an operator, SIGTERM by a stopping node):
    // another attempt may pass; a crash of its own (a segfault, exit 139) would crash again
    boolean killed = exitCode != null && (exitCode == 128 + 9 || exitCode == 128 + 15);
    String code =
        exitCode == null
            ? ""
            : killed
                ? " (killed by signal " + (exitCode - 128) + ", exit code " + exitCode + ")"
                : " (exit code " + exitCode + ")";
    return new ConnectorException(
        killed ? FailureType.TRANSIENT_ERROR : FailureType.SYSTEM_ERROR,
        name + " " + what + code + (reason == null ? "" : ": " + reason),
        null,
        output);
  }

  /**
   * Every line the connector printed up to now, stderr included (its reader may be a moment behind
   * the exit).
   */
  private List<String> output() {
    try {
      if (!process.isAlive()) {
        stderrReader.join(Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return tail.lines();
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(directory)) {
      all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temporary directory; the OS cleans up eventually
    }
  }
}
