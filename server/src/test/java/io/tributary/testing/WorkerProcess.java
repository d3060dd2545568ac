package io.tributary.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    List<String> command = new ArrayList<>(List.of("worker"));
    command.addAll(List.of(args));
    return NodeProcess.start(
        Path.of("target", log),
        TestDatabase.sharedUrl(),
        Map.of(),
        properties,
        command.toArray(String[]::new));
  }
}
