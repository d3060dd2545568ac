package io.tributary.connectors.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingDirectoriesTest {

  @TempDir Path temporary;

  @Test
  void whatADeadServerLeftIsRemovedAndNothingOfALiveOne() throws Exception {
    Path dead = run(temporary.resolve("tributary-connectors-dead"));
    Path live = run(temporary.resolve("tributary-connectors-live"));
    Path starting = Files.createDirectory(temporary.resolve("tributary-connectors-starting"));
    Path unrelated = run(temporary.resolve("someone-elses"));
    // another process holds the live server's lock, as its server would
    Process holder =
        new ProcessBuilder(
                "python3",
                "-c",
                "import fcntl, sys, time\n"
                    + "f = open(sys.argv[1], 'w')\n"
                    + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                    + "print('locked', flush=True)\n"
                    + "time.sleep(120)\n",
                live.resolve(".lock").toString())
            .redirectErrorStream(true)
            .start();
    try {
      try (var output =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(output.readLine()).isEqualTo("locked");
        WorkingDirectories.removeLeftBehind(temporary);
      }
    } finally {
      holder.destroyForcibly().waitFor();
    }

    assertThat(dead).doesNotExist();
    assertThat(live.resolve("run-1/config.json")).exists();
    assertThat(starting).exists();
    assertThat(unrelated.resolve("run-1/config.json")).exists();
  }

  @Test
  void aRunsDirectoryIsItsOwnersAloneInsideThisServersParent() throws IOException {
    Path run = WorkingDirectories.create();
    try {
      assertThat(run.getParent().getFileName().toString()).startsWith("tributary-connectors-");
      assertThat(Files.getPosixFilePermissions(run).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
      WorkingDirectories.removeLeftBehind(run.getParent().getParent());
      assertThat(run).as("this server's own parent is never removed").exists();
    } finally {
      Files.delete(run);
    }
  }

  @Test
  void aParentRemovedByACleanerOfTheTemporaryDirectoryIsMadeAgain() throws IOException {
    Path first = WorkingDirectories.create();
    Path parent = first.getParent();
    try (var all = Files.walk(parent)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }

    Path second = WorkingDirectories.create();
    try {
      assertThat(second).isDirectory();
      assertThat(second.getParent()).isNotEqualTo(parent);
      assertThat(second.getParent().resolve(".lock")).exists();
    } finally {
      Files.delete(second);
    }
  }

  /** A parent with an unlocked lock file and one run's configuration. */
  private static Path run(Path parent) throws IOException {
    Files.createDirectories(parent.resolve("run-1"));
    Files.writeString(parent.resolve(".lock"), "");
    Files.write(parent.resolve("run-1/config.json"), List.of("{\"password\": \"secret\"}"));
    return parent;
  }
}
