package io.tributary.cli;

import io.tributary.TributaryApplication;
import io.tributary.workspace.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
      description = "Run only this region's syncs: us or eu (default: every region)")
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
    if (region != null) {
      args.add("--tributary.worker.region=" + regionId(region));
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
      return Region.valueOf(name.toUpperCase(Locale.ROOT)).id().toString();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "Unknown region '" + name + "': use us or eu");
    }
  }
}
