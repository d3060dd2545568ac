package io.tributary.cli;

import io.tributary.TributaryApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the API server with an in-process worker.")
public class ServeCommand implements Callable<Integer> {

  @Mixin InstanceOptions instance;

  @Option(names = "--port", description = "HTTP port (env TRIBUTARY_PORT, default 8080)")
  Integer port;

  @Option(
      names = "--bind",
      description =
          "Address the API listens on (env TRIBUTARY_BIND, default 127.0.0.1; 0.0.0.0 = every interface)")
  String bind;

  @Option(
      names = "--public-url",
      description = "URL browsers reach this server at (env TRIBUTARY_PUBLIC_URL)")
  String publicUrl;

  @Option(
      names = "--log-format",
      description = "text or json (env TRIBUTARY_LOG_FORMAT, default text)")
  String logFormat = System.getenv().getOrDefault("TRIBUTARY_LOG_FORMAT", "text");

  private static volatile boolean serving;

  /**
   * True once the server runs: the process then lives until the server stops, not until main
   * returns.
   */
  public static boolean serving() {
    return serving;
  }

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(instance.springArguments());
    args.add("--tributary.role=server");
    if (port != null) {
      args.add("--tributary.port=" + port);
    }
    if (bind != null) {
      args.add("--tributary.bind=" + bind);
    }
    if (publicUrl != null) {
      args.add("--tributary.public-url=" + publicUrl);
    }
    if ("json".equalsIgnoreCase(logFormat)) {
      args.add("--logging.structured.format.console=logstash");
    }
    SpringApplication.run(TributaryApplication.class, args.toArray(String[]::new));
    serving = true;
    return 0;
  }
}
