package io.tributary.organization;

import io.tributary.settings.TributaryProperties;
import java.io.PrintStream;
import java.util.Optional;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * First start: creates one organization and one application and prints the credentials, once, to
 * the console (never to the log). Later starts print where the server is and what to do next.
 *
 * <p>The organization and application are made before the HTTP port opens (once every bean exists,
 * Flyway's migrations included; the token signing key is made then too, by the token feature), so
 * the printed credentials work from the first request the server answers; the text is printed once
 * the application is ready.
 */
@Component
@ConditionalOnProperty(name = "tributary.role", havingValue = "server", matchIfMissing = true)
public class Bootstrap implements SmartInitializingSingleton {

  public static final String DEFAULT_ORGANIZATION = "Default organization";

  private final TributaryProperties properties;
  private final OrganizationService organizations;
  private final OrganizationRepository organizationRepository;
  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final PrintStream console = System.out;
  private Optional<OrganizationService.NewApplication> created = Optional.empty();

  Bootstrap(
      TributaryProperties properties,
      OrganizationService organizations,
      OrganizationRepository organizationRepository,
      JdbcClient jdbc,
      TransactionTemplate transaction) {
    this.properties = properties;
    this.organizations = organizations;
    this.organizationRepository = organizationRepository;
    this.jdbc = jdbc;
    this.transaction = transaction;
  }

  @Override
  public void afterSingletonsInstantiated() {
    created = properties.bootstrap() ? bootstrapOnce() : Optional.empty();
  }

  @EventListener(ApplicationReadyEvent.class)
  void onReady() {
    console.println(NextSteps.render(properties, created));
    created = Optional.empty(); // the secret is shown once and not kept
  }

  /**
   * Serialised across nodes by an advisory lock, so two nodes starting together create one
   * organization.
   */
  private Optional<OrganizationService.NewApplication> bootstrapOnce() {
    return transaction.execute(
        status -> {
          jdbc.sql("select pg_advisory_xact_lock(hashtext('tributary-bootstrap'))")
              .query()
              .singleRow();
          if (organizationRepository.any()) {
            return Optional.empty();
          }
          Organization organization =
              organizations.createOrganization(DEFAULT_ORGANIZATION, null, null);
          return Optional.of(
              organizations.createApplication(
                  organization.id(),
                  "bootstrap",
                  properties.bootstrapClientId(),
                  properties.bootstrapClientSecret()));
        });
  }
}
