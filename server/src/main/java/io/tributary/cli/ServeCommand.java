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
    description =
        "Run the API server with an in-process worker (--no-worker: API only, syncs left to"
            + " `tributary worker` processes on the same database).")
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

  @Option(
      names = "--no-worker",
      description =
          "API only: run no syncs and no scheduler here (env TRIBUTARY_WORKER_ENABLED=false)")
  boolean noWorker;

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
    SpringApplication.run(TributaryApplication.class, springArguments().toArray(String[]::new));
    serving = true;
    return 0;
  }

  /** The Spring arguments for the flags given; the environment supplies the rest. */
  List<String> springArguments() {
    List<String> args = new ArrayList<>(instance.springArguments());
    args.add("--tributary.role=server");
    String region = System.getenv("TRIBUTARY_WORKER_REGION");
    if (region != null && !region.isBlank()) {
      // the environment names the region (us, eu); the setting takes its id
      args.add("--tributary.worker.region=" + WorkerCommand.regionIdOf(region.strip()));
    }
    if (port != null) {
      args.add("--tributary.port=" + port);
    }
    if (bind != null) {
      args.add("--tributary.bind=" + bind);
    }
    if (publicUrl != null) {
      args.add("--tributary.public-url=" + publicUrl);
    }
    if (noWorker) {
      args.add("--tributary.worker.enabled=false");
    }
    if ("json".equalsIgnoreCase(logFormat)) {
      args.add("--logging.structured.format.console=logstash");
    }
    return args;
  }
}
