package io.tributary.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code tributary} command from the packaged jar (target/tributary-server.jar) in a JVM of its
 * own, with the test servers' settings on {@code databaseUrl}: another node, as an operator starts
 * it.
 */
public final class NodeProcess {

  private NodeProcess() {}

  /**
   * @param log where the process's output goes
   * @param databaseUrl the PostgreSQL every node of the test shares
   * @param environment extra environment, e.g. {@code TRIBUTARY_PUBLIC_URL}: how an operator
   *     configures a node
   * @param properties extra {@code -D} settings, e.g. {@code
   *     tributary.worker.commit-records=100000}; they win over the test servers' settings
   * @param args the command and its arguments, e.g. {@code worker --region eu}
   */
  public static Process start(
      Path log,
      String databaseUrl,
      Map<String, String> environment,
      List<String> properties,
      String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
    ApiTest.properties(databaseUrl).forEach((key, value) -> command.add("-D" + key + "=" + value));
    properties.forEach(property -> command.add("-D" + property));
    command.addAll(List.of("-jar", Path.of("target", "tributary-server.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }
}
