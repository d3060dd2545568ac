package io.tributary.cli;

import io.tributary.TributaryApplication;
import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorInstall;
import io.tributary.definition.ConnectorInstaller;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorType;
import io.tributary.organization.Application;
import io.tributary.organization.Organization;
import io.tributary.organization.OrganizationService;
import io.tributary.token.SigningKeyRing;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tributary admin ...}: instance administration straight on the database. Next to a running
 * server on the embedded default it uses that server's PostgreSQL.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Administer the instance: organizations, applications, signing keys.",
    subcommands = {
      AdminCommand.OrganizationCommands.class,
      AdminCommand.ApplicationCommands.class,
      AdminCommand.KeyCommands.class,
      AdminCommand.ConnectorCommands.class
    })
public class AdminCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Options and plumbing every admin command shares. */
  abstract static class AdminTask implements Callable<Integer> {
    @Mixin InstanceOptions instance;

    @Option(names = "--json", description = "Print JSON")
    boolean json;

    final PrintStream out = System.out;

    @Override
    public Integer call() {
      List<String> args = new ArrayList<>(instance.springArguments());
      args.add("--tributary.role=cli");
      args.add("--tributary.worker.enabled=false");
      args.add("--logging.level.root=WARN");
      args.add("--spring.main.log-startup-info=false");
      try (ConfigurableApplicationContext context =
          new SpringApplicationBuilder(TributaryApplication.class)
              .web(WebApplicationType.NONE)
              .bannerMode(Banner.Mode.OFF)
              .run(args.toArray(String[]::new))) {
        return execute(context);
      }
    }

    abstract int execute(ConfigurableApplicationContext context);

    void print(
        ConfigurableApplicationContext context, Object value, Function<Object, String> text) {
      if (json) {
        JsonMapper mapper =
            context
                .getBean(JsonMapper.class)
                .rebuild()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
        out.println(mapper.writeValueAsString(value));
      } else {
        out.println(text.apply(value));
      }
    }
  }

  @Command(
      name = "organization",
      mixinStandardHelpOptions = true,
      description = "Organizations (operator tenants).",
      subcommands = {CreateOrganization.class, ListOrganizations.class})
  static class OrganizationCommands {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an organization.")
  static class CreateOrganization extends AdminTask {
    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--rate-limit-per-hour")
    Integer rateLimit;

    @Option(names = "--scoped-token-ttl-seconds")
    Integer scopedTokenTtl;

    @Override
    int execute(ConfigurableApplicationContext context) {
      Organization organization =
          context
              .getBean(OrganizationService.class)
              .createOrganization(name, rateLimit, scopedTokenTtl);
      print(
          context,
          organization,
          o -> "Created organization " + organization.id() + " (" + organization.name() + ")");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List organizations.")
  static class ListOrganizations extends AdminTask {
    @Override
    int execute(ConfigurableApplicationContext context) {
      List<Organization> all = context.getBean(OrganizationService.class).organizations();
      print(
          context,
          Map.of("data", all),
          o -> String.join("\n", all.stream().map(org -> org.id() + "  " + org.name()).toList()));
      return 0;
    }
  }

  @Command(
      name = "application",
      mixinStandardHelpOptions = true,
      description = "Applications (client credentials).",
      subcommands = {CreateApplication.class, ListApplications.class, RevokeApplication.class})
  static class ApplicationCommands {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an application and print its client_secret (shown this once).")
  static class CreateApplication extends AdminTask {
    @Option(
        names = "--organization",
        description = "Organization id or name; may be omitted when there is only one")
    String organization;

    @Option(names = "--name", required = true)
    String name;

    @Option(
        names = "--env",
        description = "Print `export TRIBUTARY_CLIENT_ID=... TRIBUTARY_CLIENT_SECRET=...` lines")
    boolean env;

    @Override
    int execute(ConfigurableApplicationContext context) {
      OrganizationService service = context.getBean(OrganizationService.class);
      Organization target = resolveOrganization(service, organization);
      var created = service.createApplication(target.id(), name, null, null);
      if (env) {
        out.println("export TRIBUTARY_CLIENT_ID='" + created.application().clientId() + "'");
        out.println("export TRIBUTARY_CLIENT_SECRET='" + created.clientSecret() + "'");
        return 0;
      }
      Application app = created.application();
      print(
          context,
          Map.of(
              "id",
              app.id(),
              "organization_id",
              app.organizationId(),
              "name",
              app.name(),
              "client_id",
              app.clientId(),
              "client_secret",
              created.clientSecret()),
          o ->
              "client_id:     "
                  + app.clientId()
                  + "\nclient_secret: "
                  + created.clientSecret()
                  + "\n(the secret is shown this once)");
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List applications of an organization.")
  static class ListApplications extends AdminTask {
    @Option(names = "--organization")
    String organization;

    @Override
    int execute(ConfigurableApplicationContext context) {
      OrganizationService service = context.getBean(OrganizationService.class);
      List<Application> all = service.applications(resolveOrganization(service, organization).id());
      print(
          context,
          Map.of("data", all),
          o ->
              String.join(
                  "\n",
                  all.stream()
                      .map(
                          app ->
                              app.clientId()
                                  + "  "
                                  + app.name()
                                  + (app.active() ? "" : "  (revoked " + app.revokedAt() + ")"))
                      .toList()));
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke an application by id or client_id.")
  static class RevokeApplication extends AdminTask {
    @Parameters(paramLabel = "APPLICATION")
    String application;

    @Override
    int execute(ConfigurableApplicationContext context) {
      Application revoked =
          context.getBean(OrganizationService.class).revokeApplication(application);
      print(context, revoked, o -> "Revoked " + revoked.clientId());
      return 0;
    }
  }

  @Command(
      name = "keys",
      mixinStandardHelpOptions = true,
      description = "Token signing keys.",
      subcommands = {RotateKeys.class, ListKeys.class})
  static class KeyCommands {}

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Sign new tokens with a new key; the old key verifies until its tokens expire.")
  static class RotateKeys extends AdminTask {
    @Override
    int execute(ConfigurableApplicationContext context) {
      String kid = context.getBean(SigningKeyRing.class).rotate();
      print(context, Map.of("kid", kid), o -> "New signing key " + kid);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys that still verify tokens.")
  static class ListKeys extends AdminTask {
    @Override
    int execute(ConfigurableApplicationContext context) {
      var keys = context.getBean(SigningKeyRing.class).keys();
      print(
          context,
          Map.of("data", keys),
          o ->
              String.join(
                  "\n",
                  keys.stream()
                      .map(
                          k ->
                              k.kid()
                                  + "  "
                                  + k.algorithm()
                                  + "  "
                                  + (k.verifyUntil() == null
                                      ? "signing"
                                      : "verifies until " + k.verifyUntil()))
                      .toList()));
      return 0;
    }
  }

  @Command(
      name = "connector",
      mixinStandardHelpOptions = true,
      description =
          "Airbyte connectors: install by name from the registry or PyPI, or a declarative manifest;"
              + " or register any Airbyte-protocol command.",
      subcommands = {
        InstallConnector.class,
        UpgradeConnector.class,
        RegisterConnector.class,
        ListConnectors.class,
        RemoveConnector.class
      })
  static class ConnectorCommands {}

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description =
          "Install a connector and wait for it: install source-faker@7.2.1,"
              + " install airbyte-source-faker==7.2.1, or install --manifest api.yaml --name 'My API'")
  static class InstallConnector extends AdminTask {
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
    Path components;

    @Option(names = "--definition-id", description = "Install under this definition id")
    UUID definitionId;

    @Option(names = "--replace", description = "Take the id of a built-in connector, replacing it")
    boolean replace;

    @Override
    int execute(ConfigurableApplicationContext context) {
      var installer = context.getBean(ConnectorInstaller.class);
      var install =
          installer.install(
              new ConnectorInstaller.Request(
                  manifest != null ? displayName : name,
                  version,
                  manifest == null ? null : readLocal(manifest),
                  components == null ? null : readLocal(components.toString()),
                  definitionId,
                  replace));
      return follow(context, installer, install);
    }
  }

  @Command(
      name = "upgrade",
      mixinStandardHelpOptions = true,
      description = "Move an installed connector to another version, or to a new manifest.")
  static class UpgradeConnector extends AdminTask {
    @Parameters(paramLabel = "DEFINITION_ID")
    UUID definitionId;

    @Option(names = "--version", description = "The version (default: the registry's current one)")
    String version;

    @Option(names = "--manifest", description = "The new manifest: a file or an https URL")
    String manifest;

    @Override
    int execute(ConfigurableApplicationContext context) {
      var installer = context.getBean(ConnectorInstaller.class);
      return follow(
          context,
          installer,
          installer.upgrade(definitionId, version, manifest == null ? null : readLocal(manifest)));
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

  /** Prints an install's log as it grows, until it ends; 0 when it succeeded. */
  static int follow(
      ConfigurableApplicationContext context,
      ConnectorInstaller installer,
      ConnectorInstall start) {
    PrintStream out = System.out;
    int shown = 0;
    ConnectorInstall install = start;
    while (true) {
      install = installer.get(install.id());
      String log = install.log();
      if (log.length() > shown) {
        out.print(log.substring(shown));
        shown = log.length();
      }
      if (install.finished()) {
        break;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
    if (install.status().equals("succeeded")) {
      out.println("Installed " + install.name() + " as " + install.definitionId());
      return 0;
    }
    out.println("Install failed: " + install.failureReason());
    return 1;
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Register a connector, e.g. register --type source --name Stripe -- docker run --rm -i airbyte/source-stripe:5")
  static class RegisterConnector extends AdminTask {
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
    int execute(ConfigurableApplicationContext context) {
      var registry = context.getBean(ConnectorRegistry.class);
      var definition =
          registry.register(ConnectorType.valueOf(type.toUpperCase()), name, command, definitionId);
      print(
          context,
          Map.of(
              "definition_id", definition.definitionId(), "name", definition.name(), "type", type),
          o -> "Registered " + definition.name() + " as " + definition.definitionId());
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List installed and registered connectors.")
  static class ListConnectors extends AdminTask {
    @Override
    int execute(ConfigurableApplicationContext context) {
      var registry = context.getBean(ConnectorRegistry.class);
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
                            d.dockerImageTag())));
      }
      print(
          context,
          Map.of("data", all),
          o ->
              String.join(
                  "\n",
                  all.stream()
                      .map(
                          d ->
                              d.get("definition_id")
                                  + "  "
                                  + d.get("type")
                                  + "  "
                                  + d.get("name")
                                  + "  "
                                  + d.get("runtime")
                                  + "  "
                                  + d.get("version"))
                      .toList()));
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove an installed or registered connector.")
  static class RemoveConnector extends AdminTask {
    @Parameters(paramLabel = "DEFINITION_ID")
    UUID definitionId;

    @Override
    int execute(ConfigurableApplicationContext context) {
      context.getBean(ConnectorInstaller.class).remove(definitionId);
      print(context, Map.of("definition_id", definitionId), o -> "Removed " + definitionId);
      return 0;
    }
  }

  static Organization resolveOrganization(OrganizationService service, String reference) {
    if (reference != null) {
      return service.organization(reference);
    }
    List<Organization> all = service.organizations();
    if (all.size() != 1) {
      throw new IllegalArgumentException(
          "There are " + all.size() + " organizations; name one with --organization");
    }
    return all.getFirst();
  }
}
