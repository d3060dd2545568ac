package io.tributary.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command-line entry point: {@code tributary serve} runs the server, {@code tributary worker} only
 * syncs, {@code tributary admin ...} administers it.
 */
@Command(
    name = "tributary",
    mixinStandardHelpOptions = true,
    versionProvider = Tributary.Version.class,
    description =
        "Self-hosted embedded data integration, compatible with the Airbyte Embedded API.",
    subcommands = {ServeCommand.class, WorkerCommand.class, SyncCommand.class, AdminCommand.class})
public final class Tributary implements Runnable {

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0 || !ServeCommand.serving()) {
      System.exit(code);
    }
  }

  /** The command line as {@code ./tributary} runs it. */
  public static CommandLine commandLine() {
    return new CommandLine(new Tributary()).setExecutionExceptionHandler(Tributary::explain);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /**
   * A command that failed for a reason its user can act on says so in one line; anything else is a
   * bug, shown with its stack trace.
   */
  private static int explain(Exception failure, CommandLine command, CommandLine.ParseResult parsed)
      throws Exception {
    if (failure instanceof IllegalArgumentException
        || failure instanceof IllegalStateException
        || failure instanceof io.tributary.common.TributaryException) {
      command.getErr().println(failure.getMessage());
      return 1;
    }
    throw failure;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Tributary.class.getPackage().getImplementationVersion();
      return new String[] {"tributary " + (version == null ? "development build" : version)};
    }
  }
}
