package io.tributary.cli;

import io.tributary.TributaryApplication;
import io.tributary.workspace.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Run syncs only (no API): claims queued and scheduled syncs from the shared database.")
public class WorkerCommand implements Callable<Integer> {

  @Mixin InstanceOptions instance;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--region",
      description =
          "Run only this region's syncs: us or eu (env TRIBUTARY_WORKER_REGION; default: every"
              + " region)")
  String region;

  @Option(
      names = "--concurrency",
      description =
          "Syncs run at once by this worker (env TRIBUTARY_WORKER_CONCURRENCY, default 2)")
  Integer concurrency;

  @Override
  public Integer call() throws InterruptedException {
    List<String> args = new ArrayList<>(instance.springArguments());
    args.add("--tributary.role=worker");
    args.add("--tributary.worker.enabled=true");
    args.add("--spring.main.web-application-type=none");
    // the environment names a region as the flag does; passed on as its id, which Spring reads
    String wanted = region != null ? region : System.getenv("TRIBUTARY_WORKER_REGION");
    if (wanted != null && !wanted.isBlank()) {
      args.add("--tributary.worker.region=" + regionId(wanted.strip()));
    }
    if (concurrency != null) {
      if (concurrency < 1) {
        throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1");
      }
      args.add("--tributary.worker.concurrency=" + concurrency);
    }
    ConfigurableApplicationContext context =
        SpringApplication.run(TributaryApplication.class, args.toArray(String[]::new));
    // without a web server nothing keeps the JVM alive: wait until shutdown (SIGTERM) closes the
    // context
    CountDownLatch closed = new CountDownLatch(1);
    context.addApplicationListener(
        event -> {
          if (event instanceof ContextClosedEvent) {
            closed.countDown();
          }
        });
    closed.await();
    return 0;
  }

  private String regionId(String name) {
    try {
      return regionIdOf(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The id of a region named {@code us} or {@code eu} (or given by its id), as {@code
   * tributary.worker.region} takes it.
   *
   * @throws IllegalArgumentException for anything else
   */
  static String regionIdOf(String name) {
    try {
      return Region.valueOf(name.toUpperCase(Locale.ROOT)).id().toString();
    } catch (IllegalArgumentException notAName) {
      try {
        UUID id = UUID.fromString(name);
        if (Region.byId(id).isPresent()) {
          return id.toString();
        }
      } catch (IllegalArgumentException notAnId) {
        // refused below
      }
      throw new IllegalArgumentException("Unknown region '" + name + "': use us or eu");
    }
  }
}
