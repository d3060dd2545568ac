package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code tributary serve} as an operator types it, down to the settings it hands Spring. */
class ServeCommandTest {

  @Test
  void noWorkerMakesAnApiOnlyNode() {
    assertThat(serve("--no-worker", "--port", "8081").springArguments())
        .contains("--tributary.role=server", "--tributary.worker.enabled=false")
        .contains("--tributary.port=8081");
  }

  @Test
  void withoutTheFlagTheEnvironmentDecides() {
    // no argument at all: TRIBUTARY_WORKER_ENABLED (default true) applies
    assertThat(serve().springArguments()).noneMatch(a -> a.contains("worker.enabled"));
  }

  @Test
  void helpNamesTheFlagAndItsEnvironmentForm() {
    String usage = Tributary.commandLine().getSubcommands().get("serve").getUsageMessage();
    assertThat(usage).contains("--no-worker").contains("TRIBUTARY_WORKER_ENABLED=false");
  }

  @Test
  void aRegionIsNamedAsTheFlagNamesItAndPassedOnAsItsId() {
    assertThat(WorkerCommand.regionIdOf("eu"))
        .isEqualTo("b9e48d61-f082-4a14-a8d0-799a907938cb")
        .isEqualTo(WorkerCommand.regionIdOf("EU"))
        .isEqualTo(WorkerCommand.regionIdOf("b9e48d61-f082-4a14-a8d0-799a907938cb"));
    assertThat(WorkerCommand.regionIdOf("us")).isEqualTo("645a183f-b12b-4c6e-8ad3-99e165603450");
    assertThatThrownBy(() -> WorkerCommand.regionIdOf("mars"))
        .hasMessage("Unknown region 'mars': use us or eu");
    assertThatThrownBy(() -> WorkerCommand.regionIdOf("00000000-0000-0000-0000-000000000000"))
        .hasMessageContaining("use us or eu");
  }

  private static ServeCommand serve(String... args) {
    var line = Tributary.commandLine();
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    var parsed = line.parseArgs(all);
    return (ServeCommand) parsed.subcommand().commandSpec().userObject();
  }
}
