package io.tributary.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tributary worker} from the packaged jar, on the test server's database and settings: a
 * second node.
 */
public final class WorkerProcess {

  private WorkerProcess() {}

  /**
   * @param log file name under target/ for the process's output
   * @param properties extra {@code -D} settings, e.g. {@code
   *     tributary.worker.commit-records=100000}
   * @param args arguments after {@code worker}, e.g. {@code --region eu}
   */
  public static Process start(String log, List<String> properties, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
    ApiTest.properties(TestDatabase.sharedUrl())
        .forEach((key, value) -> command.add("-D" + key + "=" + value));
    properties.forEach(property -> command.add("-D" + property));
    command.addAll(List.of("-jar", Path.of("target", "tributary-server.jar").toString(), "worker"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", log).toFile())
        .start();
  }
}
