package io.tributary.cli;

import io.tributary.TributaryApplication;
import io.tributary.organization.Application;
import io.tributary.organization.Organization;
import io.tributary.organization.OrganizationService;
import io.tributary.token.SigningKeyRing;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tributary admin ...}: instance administration straight on the database. Next to a running
 * server on the embedded default it uses that server's PostgreSQL.
 */
// INHERIT gives every admin subcommand -h and -V
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    description = "Administer the instance: organizations, applications, signing keys, connectors.",
    subcommands = {
      AdminCommand.OrganizationCommands.class,
      AdminCommand.ApplicationCommands.class,
      AdminCommand.KeyCommands.class,
      ConnectorCommands.class
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

    private ConfigurableApplicationContext context;

    @Override
    public Integer call() {
      List<String> args = new ArrayList<>(instance.springArguments());
      args.add("--tributary.role=cli");
      args.add("--tributary.worker.enabled=false");
      args.add("--logging.level.root=WARN");
      args.add("--spring.main.log-startup-info=false");
      try (ConfigurableApplicationContext opened =
          new SpringApplicationBuilder(TributaryApplication.class)
              .web(WebApplicationType.NONE)
              .bannerMode(Banner.Mode.OFF)
              .run(args.toArray(String[]::new))) {
        context = opened;
        execute();
        return 0;
      }
    }

    abstract void execute();

    <T> T bean(Class<T> type) {
      return context.getBean(type);
    }

    /** Prints the value as JSON under --json, else the text. */
    void print(Object value, Supplier<String> text) {
      if (json) {
        JsonMapper mapper =
            bean(JsonMapper.class).rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
        out.println(mapper.writeValueAsString(value));
      } else {
        out.println(text.get());
      }
    }

    /** Prints {@code {"data": [...]}} under --json, else one line per item. */
    <T> void printList(List<T> items, Function<T, String> line) {
      print(Map.of("data", items), () -> String.join("\n", items.stream().map(line).toList()));
    }
  }

  @Command(
      name = "organization",
      description = "Organizations (operator tenants).",
      subcommands = {CreateOrganization.class, ListOrganizations.class})
  static class OrganizationCommands {}

  @Command(name = "create", description = "Create an organization.")
  static class CreateOrganization extends AdminTask {
    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--rate-limit-per-hour")
    Integer rateLimit;

    @Option(names = "--scoped-token-ttl-seconds")
    Integer scopedTokenTtl;

    @Override
    void execute() {
      Organization organization =
          bean(OrganizationService.class).createOrganization(name, rateLimit, scopedTokenTtl);
      print(
          organization,
          () -> "Created organization " + organization.id() + " (" + organization.name() + ")");
    }
  }

  @Command(name = "list", description = "List organizations.")
  static class ListOrganizations extends AdminTask {
    @Override
    void execute() {
      printList(
          bean(OrganizationService.class).organizations(), org -> org.id() + "  " + org.name());
    }
  }

  @Command(
      name = "application",
      description = "Applications (client credentials).",
      subcommands = {CreateApplication.class, ListApplications.class, RevokeApplication.class})
  static class ApplicationCommands {}

  @Command(
      name = "create",
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
    void execute() {
      OrganizationService service = bean(OrganizationService.class);
      Organization target = resolveOrganization(service, organization);
      var created = service.createApplication(target.id(), name, null, null);
      if (env) {
        out.println("export TRIBUTARY_CLIENT_ID='" + created.application().clientId() + "'");
        out.println("export TRIBUTARY_CLIENT_SECRET='" + created.clientSecret() + "'");
        return;
      }
      Application app = created.application();
      print(
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
          () ->
              "client_id:     "
                  + app.clientId()
                  + "\nclient_secret: "
                  + created.clientSecret()
                  + "\n(the secret is shown this once)");
    }
  }

  @Command(name = "list", description = "List applications of an organization.")
  static class ListApplications extends AdminTask {
    @Option(names = "--organization")
    String organization;

    @Override
    void execute() {
      OrganizationService service = bean(OrganizationService.class);
      printList(
          service.applications(resolveOrganization(service, organization).id()),
          app ->
              app.clientId()
                  + "  "
                  + app.name()
                  + (app.active() ? "" : "  (revoked " + app.revokedAt() + ")"));
    }
  }

  @Command(name = "revoke", description = "Revoke an application by id or client_id.")
  static class RevokeApplication extends AdminTask {
    @Parameters(paramLabel = "APPLICATION")
    String application;

    @Override
    void execute() {
      Application revoked = bean(OrganizationService.class).revokeApplication(application);
      print(revoked, () -> "Revoked " + revoked.clientId());
    }
  }

  @Command(
      name = "keys",
      description = "Token signing keys.",
      subcommands = {RotateKeys.class, ListKeys.class})
  static class KeyCommands {}

  @Command(
      name = "rotate",
      description = "Sign new tokens with a new key; the old key verifies until its tokens expire.")
  static class RotateKeys extends AdminTask {
    @Override
    void execute() {
      String kid = bean(SigningKeyRing.class).rotate();
      print(Map.of("kid", kid), () -> "New signing key " + kid);
    }
  }

  @Command(name = "list", description = "List the keys that still verify tokens.")
  static class ListKeys extends AdminTask {
    @Override
    void execute() {
      printList(
          bean(SigningKeyRing.class).keys(),
          k ->
              k.kid()
                  + "  "
                  + k.algorithm()
                  + "  "
                  + (k.verifyUntil() == null ? "signing" : "verifies until " + k.verifyUntil()));
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
