package io.tributary.connectors.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a connector process runs inside. A connector is someone else's code (a package from PyPI, a
 * command an admin registered) and it runs as the server's own user, so without a sandbox it could
 * read what that user reads: the server's environment through {@code /proc/<parent>/environ}, the
 * master key in the data directory, other runs' configurations in the temporary directory.
 */
public sealed interface Sandbox {

  /**
   * The command that runs {@code command} in the sandbox, working in {@code directory}.
   *
   * @throws IOException when the command's program does not exist, as starting it would say
   */
  List<String> wrap(List<String> command, Path directory) throws IOException;

  /**
   * No sandbox: the process sees what the server's user sees (its environment is still cleared).
   */
  record None() implements Sandbox {
    @Override
    public List<String> wrap(List<String> command, Path directory) {
      return command;
    }
  }

  /**
   * Bubblewrap (the sandbox Flatpak runs applications in): the process gets process, IPC and mount
   * namespaces of its own. The file system is read-only; {@code hidden} directories (the data
   * directory, the local-files root, the temporary directory, the server user's home) are replaced
   * by empty ones; its working directory is the one place it writes; its {@code /proc} shows only
   * its own processes. What the command names under a hidden directory (a virtual environment, a
   * class path) is shown again, read-only. The network is shared: what a connector may reach is the
   * egress policy's to say. It dies with the server.
   *
   * @param executable the {@code bwrap} to run
   * @param hidden directories no connector may look into
   */
  record Bubblewrap(String executable, List<Path> hidden) implements Sandbox {

    public Bubblewrap {
      // a home of "/" (a container user without a passwd entry) would hide the whole system
      hidden =
          hidden.stream()
              .map(p -> p.toAbsolutePath().normalize())
              .filter(p -> p.getNameCount() > 0)
              .distinct()
              .toList();
    }

    @Override
    public List<String> wrap(List<String> command, Path directory) throws IOException {
      requireProgram(command.getFirst());
      List<String> wrapped =
          new ArrayList<>(
              List.of(
                  executable,
                  "--die-with-parent",
                  "--new-session",
                  "--unshare-pid",
                  "--unshare-ipc",
                  "--unshare-uts",
                  "--unshare-cgroup-try",
                  "--ro-bind",
                  "/",
                  "/",
                  "--dev",
                  "/dev",
                  "--proc",
                  "/proc"));
      for (Path dir : hidden) {
        if (Files.isDirectory(dir)) {
          wrapped.addAll(List.of("--tmpfs", dir.toString()));
        }
      }
      for (Path shown : shownAgain(command)) {
        wrapped.addAll(List.of("--ro-bind", shown.toString(), shown.toString()));
      }
      wrapped.addAll(
          List.of("--bind", directory.toString(), directory.toString(), "--chdir", directory + ""));
      wrapped.add("--");
      wrapped.addAll(command);
      return wrapped;
    }

    /**
     * The paths the command names (its executable, class-path entries) that lie in a hidden
     * directory; for an executable in a {@code bin} directory, the installation around it (a
     * virtual environment, a JDK), and what its links lead to (a virtual environment's Python in
     * the server user's home, as pyenv installs it).
     */
    private Set<Path> shownAgain(List<String> command) {
      Set<Path> shown = new LinkedHashSet<>();
      for (String argument : command) {
        for (String part : argument.split(":")) {
          if (part.startsWith("/")) {
            show(Path.of(part), shown, 0);
          }
        }
      }
      return shown;
    }

    private void show(Path named, Set<Path> shown, int depth) {
      Path path = named.toAbsolutePath().normalize();
      if (depth > 4 || !Files.exists(path)) {
        return;
      }
      Path parent = path.getParent();
      boolean inBin =
          parent != null
              && parent.getFileName() != null
              && parent.getFileName().toString().equals("bin")
              && parent.getParent() != null;
      Path unit = inBin ? parent.getParent() : path;
      if (hidden.stream().anyMatch(path::startsWith) && shown.add(unit) && inBin) {
        Path python = unit.resolve("bin").resolve("python");
        if (Files.exists(python)) {
          show(real(python), shown, depth + 1);
        }
      }
      Path real = real(path);
      if (!real.equals(path)) {
        show(real, shown, depth + 1);
      }
    }

    /** Inside the sandbox a missing program is only an exit code: say it as a start would. */
    private static void requireProgram(String program) throws IOException {
      boolean found =
          program.contains("/")
              ? Files.isExecutable(Path.of(program))
              : java.util.Arrays.stream(
                      java.util.Objects.requireNonNullElse(
                              System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin")
                          .split(":"))
                  .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
      if (!found) {
        throw new IOException("Cannot run program \"" + program + "\": No such file or directory");
      }
    }

    private static Path real(Path path) {
      try {
        return path.toRealPath();
      } catch (IOException e) {
        return path;
      }
    }
  }

  /**
   * Bubblewrap when {@code executable} runs here (it needs user namespaces, which some container
   * runtimes refuse), tried once with the arguments every run uses.
   */
  static Optional<Sandbox> bubblewrap(String executable, List<Path> hidden) {
    try {
      Path directory = Files.createTempDirectory("tributary-sandbox-probe-");
      try {
        Bubblewrap sandbox = new Bubblewrap(executable, hidden);
        Process probe =
            new ProcessBuilder(sandbox.wrap(List.of("/bin/true"), directory))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!probe.waitFor(30, TimeUnit.SECONDS)) {
          probe.destroyForcibly();
          return Optional.empty();
        }
        return probe.exitValue() == 0 ? Optional.of(sandbox) : Optional.empty();
      } finally {
        Files.deleteIfExists(directory);
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
