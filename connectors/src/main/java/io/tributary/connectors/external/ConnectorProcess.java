package io.tributary.connectors.external;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of an Airbyte-protocol connector: a child process speaking JSON lines on stdout (and
 * stdin for destinations), its stderr forwarded to the log, its config and catalog passed as
 * owner-only temporary files that are deleted when it ends. Lines that are not JSON are logged, as
 * the protocol allows.
 */
final class ConnectorProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConnectorProcess.class);
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final Process process;
  private final BufferedReader stdout;
  private final BufferedWriter stdin;
  private final List<Path> files;
  private final String name;
  private final OutputTail tail;
  private final Thread stderrReader;

  private ConnectorProcess(Process process, List<Path> files, String name, OutputTail tail) {
    this.process = process;
    this.files = files;
    this.name = name;
    this.tail = tail;
    this.stdout =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
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
                  try (BufferedReader stderr =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line = stderr.readLine(); line != null; line = stderr.readLine()) {
                      log.info("[{}] {}", name, tail.addStderr(line));
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                });
  }

  /**
   * Starts {@code command} followed by the protocol verb and its file arguments.
   *
   * @param files file arguments by flag ({@code --config}, {@code --catalog}, {@code --state}),
   *     written before start
   */
  static ConnectorProcess start(List<String> command, String verb, List<FileArgument> files) {
    return start(command, verb, files, Set.of());
  }

  /**
   * @param secretKeys field names the connector's spec marks secret: their values never reach a log
   */
  static ConnectorProcess start(
      List<String> command, String verb, List<FileArgument> files, Set<String> secretKeys) {
    List<String> arguments = new ArrayList<>(command);
    arguments.add(verb);
    List<Path> written = new ArrayList<>();
    try {
      for (FileArgument file : files) {
        Path path =
            Files.createTempFile(
                "tributary-" + file.flag().replace("-", ""),
                ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(path, JSON.writeValueAsBytes(file.content()));
        written.add(path);
        arguments.add(file.flag());
        arguments.add(path.toString());
      }
      Process process = new ProcessBuilder(arguments).start();
      JsonNode config =
          files.stream()
              .filter(f -> f.flag().equals("--config"))
              .map(FileArgument::content)
              .findFirst()
              .orElse(null);
      return new ConnectorProcess(
          process,
          written,
          command.getLast() + " " + verb,
          OutputTail.forConfig(config, secretKeys));
    } catch (IOException e) {
      written.forEach(ConnectorProcess::deleteQuietly);
      throw new ConnectorException(
          FailureType.CONFIG_ERROR,
          "Cannot start connector '" + String.join(" ", command) + "': " + e.getMessage(),
          e);
    }
  }

  record FileArgument(String flag, JsonNode content) {}

  /**
   * The next protocol message, or null at the end of stdout. LOG messages and non-JSON lines go to
   * the log.
   */
  JsonNode next() {
    try {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message;
        try {
          message = JSON.readTree(line);
        } catch (JacksonException notJson) {
          log.info("[{}] {}", name, tail.add(line));
          continue;
        }
        String type = message.path("type").asString("");
        if (type.equals("LOG")) {
          String level = message.path("log").path("level").asString("INFO");
          String text = message.path("log").path("message").asString("");
          if (level.equals("ERROR") || level.equals("FATAL")) {
            log.info("[{}] {}", name, tail.addError(text));
          } else {
            log.info("[{}] {}", name, tail.scrub(text));
          }
          continue;
        }
        if (type.equals("TRACE")
            && message.path("trace").path("type").asString("").equals("ERROR")) {
          throw failure(message.path("trace").path("error"));
        }
        return message;
      }
      return null;
    } catch (IOException e) {
      throw ConnectorException.transientError(
          "Lost the output of " + name + ": " + e.getMessage(), e);
    }
  }

  /** The first message of this type, reading to it; fails when the process ends without one. */
  JsonNode expect(String type, Duration timeout) {
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
          name + " did not answer within " + timeout.toSeconds() + " seconds");
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

  /** Ends the process (politely, then by force) and removes its files. */
  @Override
  public void close() {
    if (process.isAlive()) {
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
    files.forEach(ConnectorProcess::deleteQuietly);
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
    String code = exitCode == null ? "" : " (exit code " + exitCode + ")";
    return new ConnectorException(
        FailureType.SYSTEM_ERROR,
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

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a temporary file; the OS cleans up eventually
    }
  }
}
