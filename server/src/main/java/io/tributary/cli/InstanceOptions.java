package io.tributary.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags shared by every command that opens the instance; each has an environment form. */
class InstanceOptions {

  @Option(
      names = "--data-dir",
      description = "Data directory (env TRIBUTARY_DATA_DIR, default ./data)")
  String dataDir;

  @Option(
      names = "--database-url",
      description = "PostgreSQL URL; absent = embedded (env TRIBUTARY_DATABASE_URL)")
  String databaseUrl;

  /** Spring arguments for the flags that were given; the environment supplies the rest. */
  List<String> springArguments() {
    List<String> args = new ArrayList<>();
    if (dataDir != null) {
      args.add("--tributary.data-dir=" + dataDir);
    }
    if (databaseUrl != null) {
      args.add("--tributary.database-url=" + databaseUrl);
    }
    return args;
  }
}
