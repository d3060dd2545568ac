package io.tributary.cli;

import io.tributary.cli.AdminCommand.AdminTask;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorInstall;
import io.tributary.definition.ConnectorInstaller;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorRuntime;
import io.tributary.definition.ConnectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary admin connector ...}: Airbyte's connectors installed by name from the registry
 * or PyPI, or from a declarative manifest; any Airbyte-protocol command registered by hand.
 */
@Command(
    name = "connector",
    description =
        "Airbyte connectors: install by name from the registry or PyPI, or a declarative manifest;"
            + " or register any Airbyte-protocol command.",
    subcommands = {
      ConnectorCommands.Install.class,
      ConnectorCommands.Upgrade.class,
      ConnectorCommands.Register.class,
      ConnectorCommands.ListAll.class,
      ConnectorCommands.Remove.class
    })
class ConnectorCommands {

  @Command(
      name = "install",
      description =
          "Install a connector and wait for it: install source-faker@7.2.1,"
              + " install airbyte-source-faker==7.2.1, or install --manifest api.yaml --name 'My API'")
  static class Install extends AdminTask {
    @Parameters(
        paramLabel = "NAME",
        arity = "0..1",
        description = "Registry name (source-faker[@version]) or PyPI package (name==version)")
    String name;

    @Option(names = "--version", description = "The version, when NAME does not carry it")
    String version;

    @Option(names = "--manifest", description = "A declarative manifest: a file or an https URL")
    String manifest;

    @Option(names = "--name", description = "The display name of a manifest connector")
    String displayName;

    @Option(names = "--components", description = "The manifest's components.py (custom code)")
    String components;

    @Option(names = "--definition-id", description = "Install under this definition id")
    UUID definitionId;

    @Option(names = "--replace", description = "Take the id of a built-in connector, replacing it")
    boolean replace;

    @Override
    void execute() {
      var installer = bean(ConnectorInstaller.class);
      follow(
          installer,
          installer.install(
              new ConnectorInstaller.Request(
                  manifest != null ? displayName : name,
                  version,
                  manifest == null ? null : readLocal(manifest),
                  components == null ? null : readLocal(components),
                  definitionId,
                  replace)));
    }
  }

  @Command(
      name = "upgrade",
      description = "Move an installed connector to another version, or to a new manifest.")
  static class Upgrade extends AdminTask {
    @Parameters(paramLabel = "DEFINITION_ID")
    UUID definitionId;

    @Option(names = "--version", description = "The version (default: the registry's current one)")
    String version;

    @Option(names = "--manifest", description = "The new manifest: a file or an https URL")
    String manifest;

    @Override
    void execute() {
      var installer = bean(ConnectorInstaller.class);
      follow(
          installer,
          installer.upgrade(definitionId, version, manifest == null ? null : readLocal(manifest)));
    }
  }

  @Command(
      name = "register",
      description =
          "Register a connector, e.g. register --type source --name Stripe -- docker run --rm -i airbyte/source-stripe:5")
  static class Register extends AdminTask {
    @Option(names = "--type", required = true, description = "source or destination")
    String type;

    @Option(names = "--name", required = true)
    String name;

    @Option(
        names = "--definition-id",
        description = "Keep an Airbyte definition id so existing templates carry over")
    UUID definitionId;

    @Parameters(
        paramLabel = "COMMAND",
        arity = "1..*",
        description = "The command that runs the connector")
    List<String> command;

    @Override
    void execute() {
      var registry = bean(ConnectorRegistry.class);
      var definition =
          registry.register(ConnectorType.valueOf(type.toUpperCase()), name, command, definitionId);
      print(
          Map.of(
              "definition_id", definition.definitionId(), "name", definition.name(), "type", type),
          () -> "Registered " + definition.name() + " as " + definition.definitionId());
    }
  }

  @Command(name = "list", description = "List installed and registered connectors.")
  static class ListAll extends AdminTask {
    @Override
    void execute() {
      var registry = bean(ConnectorRegistry.class);
      List<Map<String, Object>> all = new ArrayList<>();
      for (var type : ConnectorType.values()) {
        registry.all(type).stream()
            .filter(ConnectorDefinition::custom)
            .forEach(
                d ->
                    all.add(
                        Map.of(
                            "definition_id",
                            d.definitionId(),
                            "type",
                            type.name().toLowerCase(),
                            "name",
                            d.name(),
                            "runtime",
                            d.runtime().kind(),
                            "version",
                            // the admin's own view: a command's whole line, as registered
                            d.runtime() instanceof ConnectorRuntime.Command command
                                ? String.join(" ", command.command())
                                : d.dockerImageTag())));
      }
      printList(
          all,
          d ->
              String.join(
                  "  ",
                  d.get("definition_id").toString(),
                  d.get("type").toString(),
                  d.get("name").toString(),
                  d.get("runtime").toString(),
                  d.get("version").toString()));
    }
  }

  @Command(name = "remove", description = "Remove an installed or registered connector.")
  static class Remove extends AdminTask {
    @Parameters(paramLabel = "DEFINITION_ID")
    UUID definitionId;

    @Override
    void execute() {
      bean(ConnectorInstaller.class).remove(definitionId);
      print(Map.of("definition_id", definitionId), () -> "Removed " + definitionId);
    }
  }

  /** A file's text, or the URL itself for the installer to fetch. */
  static String readLocal(String location) {
    if (location.startsWith("https://") || location.startsWith("http://")) {
      return location;
    }
    try {
      return Files.readString(Path.of(location));
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + location + ": " + e.getMessage());
    }
  }

  /** Prints an install's log as it grows until it ends; a failed install fails the command. */
  static void follow(ConnectorInstaller installer, ConnectorInstall started) {
    int shown = 0;
    ConnectorInstall install = started;
    while (true) {
      install = installer.get(install.id());
      if (install.log().length() > shown) {
        System.out.print(install.log().substring(shown));
        shown = install.log().length();
      }
      if (install.finished()) {
        break;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted; the install goes on in the background");
      }
    }
    if (!install.status().equals("succeeded")) {
      throw new IllegalStateException("Install failed: " + install.failureReason());
    }
    System.out.println("Installed " + install.name() + " as " + install.definitionId());
  }
}
