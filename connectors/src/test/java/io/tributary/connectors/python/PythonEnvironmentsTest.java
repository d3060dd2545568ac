package io.tributary.connectors.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connectors.external.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonEnvironmentsTest {

  @TempDir Path root;

  @Test
  void aStepThatNeverEndsIsStoppedAtTheTimeoutWithTheProcessesItStarted() throws IOException {
    // a unique argument, to find the child it leaves running
    String seconds = "300." + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000);
    Path python = root.resolve("python");
    Files.writeString(
        python,
        "#!/bin/sh\necho creating the environment\nsleep " + seconds + " &\nread answer\nwait\n");
    assertThat(python.toFile().setExecutable(true)).isTrue();
    var environments =
        new PythonEnvironments(
            root.resolve("environments"), python.toString(), Duration.ofSeconds(3));
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> environments.install("airbyte-source-faker", "6.2.0", null, line -> {}))
        .isInstanceOf(PythonInstallException.class)
        .hasMessageEndingWith(": not done within 3 seconds");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    Awaitility.await("the step's child stopped with it")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().commandLine().orElse("").contains(seconds)));
  }

  @Test
  void twoInstallsOfOneEnvironmentOnOneServerTakeTurns() throws Exception {
    Path python = root.resolve("python");
    Files.writeString(python, "#!/bin/sh\nsleep 1.5\nexit 3\n");
    assertThat(python.toFile().setExecutable(true)).isTrue();
    var environments =
        new PythonEnvironments(
            root.resolve("environments"), python.toString(), Duration.ofSeconds(30));

    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Throwable>> installs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        installs.add(
            threads.submit(
                () -> {
                  try {
                    environments.install("airbyte-source-faker", "6.2.0", null, line -> {});
                    return null;
                  } catch (RuntimeException e) {
                    return e;
                  }
                }));
      }
      for (Future<Throwable> install : installs) {
        assertThat(install.get(30, TimeUnit.SECONDS))
            .as("each waits for the other and fails on its own account")
            .isInstanceOf(PythonInstallException.class)
            .hasMessageContaining("exit code 3");
      }
    }
  }

  @Test
  void anInstallStepRunsInTheSandboxAndSeesNoHiddenFile() throws IOException {
    Path hidden = Files.createDirectories(root.resolve("data"));
    Path key = Files.writeString(hidden.resolve("master.key"), "master-key-of-the-instance");
    Path python = Files.createDirectories(root.resolve("bin")).resolve("python");
    Files.writeString(
        python, "#!/bin/sh\necho \"key: $(cat " + key + " 2>/dev/null || echo none)\"\nexit 1\n");
    assertThat(python.toFile().setExecutable(true)).isTrue();
    Sandbox sandbox =
        Sandbox.bubblewrap("bwrap", List.of(hidden))
            .orElseThrow(() -> new AssertionError(".ci/run installs bubblewrap: bwrap must run"));
    List<String> output = new ArrayList<>();
    var environments =
        new PythonEnvironments(
            hidden.resolve("environments"), python.toString(), Duration.ofSeconds(30), sandbox);

    assertThatThrownBy(
            () -> environments.install("airbyte-source-faker", "6.2.0", null, output::add))
        .isInstanceOf(PythonInstallException.class);
    assertThat(output).containsExactly("key: none");

    var unconfined =
        new PythonEnvironments(
            hidden.resolve("environments"), python.toString(), Duration.ofSeconds(30));
    output.clear();
    assertThatThrownBy(() -> unconfined.install("airbyte-source-faker", "6.2.0", null, output::add))
        .isInstanceOf(PythonInstallException.class);
    assertThat(output)
        .as("what the step takes without one")
        .containsExactly("key: master-key-of-the-instance");
  }
}
