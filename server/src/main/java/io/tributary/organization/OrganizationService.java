package io.tributary.organization;

import io.tributary.common.ConflictException;
import io.tributary.common.NotFoundException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Instance administration: organizations and their applications. Used by the admin API and the CLI.
 */
@Service
public class OrganizationService {

  private final OrganizationRepository organizations;
  private final ApplicationRepository applications;
  private final Clock clock;

  OrganizationService(
      OrganizationRepository organizations, ApplicationRepository applications, Clock clock) {
    this.organizations = organizations;
    this.applications = applications;
    this.clock = clock;
  }

  @Transactional
  public Organization createOrganization(
      String name, Integer rateLimitPerHour, Integer scopedTokenTtlSeconds) {
    var organization =
        new Organization(
            UUID.randomUUID(),
            name,
            rateLimitPerHour,
            scopedTokenTtlSeconds,
            null,
            null,
            clock.instant());
    try {
      organizations.insert(organization);
    } catch (DuplicateKeyException e) {
      throw new ConflictException("An organization named '" + name + "' already exists");
    }
    return organization;
  }

  public List<Organization> organizations() {
    return organizations.findAll();
  }

  /** By id, or by name when the reference is not a UUID. */
  public Organization organization(String reference) {
    return parseUuid(reference)
        .flatMap(organizations::findById)
        .or(() -> organizations.findByName(reference))
        .orElseThrow(() -> new NotFoundException("Organization", reference));
  }

  @Transactional
  public Organization updateLimits(UUID id, LimitsChange change) {
    organizations.findById(id).orElseThrow(() -> new NotFoundException("Organization", id));
    organizations.updateLimits(id, change);
    return organizations.findById(id).orElseThrow();
  }

  /**
   * Creates an application. The returned secret is the only copy: it is stored as a hash.
   *
   * @param clientId null for a generated one
   * @param clientSecret null for a generated one
   */
  @Transactional
  public NewApplication createApplication(
      UUID organizationId, String name, String clientId, String clientSecret) {
    organizations
        .findById(organizationId)
        .orElseThrow(() -> new NotFoundException("Organization", organizationId));
    String id = clientId == null || clientId.isBlank() ? UUID.randomUUID().toString() : clientId;
    String secret =
        clientSecret == null || clientSecret.isBlank() ? SecretHasher.randomSecret() : clientSecret;
    var application =
        new Application(UUID.randomUUID(), organizationId, name, id, clock.instant(), null);
    try {
      applications.insert(application, SecretHasher.hash(secret));
    } catch (DuplicateKeyException e) {
      throw new ConflictException("An application with client_id '" + id + "' already exists");
    }
    return new NewApplication(application, secret);
  }

  public List<Application> applications(UUID organizationId) {
    return applications.findByOrganization(organizationId);
  }

  /** Revokes by application id or client id; its operator tokens stop working at once. */
  @Transactional
  public Application revokeApplication(String reference) {
    Application application =
        parseUuid(reference)
            .flatMap(applications::findById)
            .or(() -> applications.findByClientId(reference))
            .orElseThrow(() -> new NotFoundException("Application", reference));
    applications.revoke(application.id(), clock.instant());
    return applications.findById(application.id()).orElseThrow();
  }

  private static Optional<UUID> parseUuid(String value) {
    try {
      return Optional.of(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** An application with its secret, as shown once at creation. */
  public record NewApplication(Application application, String clientSecret) {}
}
