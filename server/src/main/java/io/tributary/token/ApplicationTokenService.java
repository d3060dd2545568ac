package io.tributary.token;

import io.tributary.common.TooManyRequestsException;
import io.tributary.common.UnauthorizedException;
import io.tributary.organization.ApplicationRepository;
import io.tributary.organization.SecretHasher;
import io.tributary.ratelimit.ClientAddress;
import io.tributary.ratelimit.RateLimiter;
import io.tributary.settings.TributaryProperties;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * The client-credentials exchange. Failures are counted per (client id, client address) and per
 * client address in one-minute windows; past either limit the attempt is refused before the secret
 * is even compared, so secrets cannot be guessed at speed. Never per client id alone: then anyone
 * who knows a client id (it is not a secret) could lock its owner out with a few wrong guesses a
 * minute.
 */
@Service
class ApplicationTokenService {

  private static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);

  private final ApplicationRepository applications;
  private final TokenService tokens;
  private final RateLimiter limiter;
  private final int clientFailuresPerMinute;
  private final int addressFailuresPerMinute;

  ApplicationTokenService(
      ApplicationRepository applications,
      TokenService tokens,
      RateLimiter limiter,
      TributaryProperties properties) {
    this.applications = applications;
    this.tokens = tokens;
    this.limiter = limiter;
    this.clientFailuresPerMinute = properties.failedLoginsPerClientPerMinute();
    this.addressFailuresPerMinute = properties.failedLoginsPerAddressPerMinute();
  }

  /**
   * @param address the client's address as the server sees it (the connection's peer; no forwarded
   *     header)
   */
  OperatorToken exchange(String clientId, String clientSecret, String address) {
    String source = addressKey(address);
    String clientBucket = "login-client:" + source + " " + clientId;
    String addressBucket = "login-address:" + source;
    refuseWhenTooManyFailures(addressBucket, addressFailuresPerMinute);
    refuseWhenTooManyFailures(clientBucket, clientFailuresPerMinute);
    var credentials = applications.findActiveCredentials(clientId);
    boolean valid =
        SecretHasher.matches(
            clientSecret,
            credentials.map(ApplicationRepository.Credentials::secretHash).orElse(null));
    if (!valid) {
      limiter.hit(clientBucket, clientFailuresPerMinute, FAILURE_WINDOW);
      limiter.hit(addressBucket, addressFailuresPerMinute, FAILURE_WINDOW);
      throw new UnauthorizedException();
    }
    var application = credentials.get().application();
    TokenService.IssuedToken token =
        tokens.issueOperatorToken(
            application.organizationId(), application.id(), application.clientId());
    return new OperatorToken(token, application.organizationId());
  }

  /** An operator token and the organization it acts for. */
  record OperatorToken(TokenService.IssuedToken token, UUID organizationId) {}

  private void refuseWhenTooManyFailures(String bucket, int limit) {
    RateLimiter.Decision failures = limiter.count(bucket, limit, FAILURE_WINDOW);
    if (failures.hits() >= limit) {
      throw new TooManyRequestsException(
          "Too many failed attempts; try again later", failures.retryAfter());
    }
  }

  /** The key a client's failures count under: its address, an IPv6 one by its /64. */
  static String addressKey(String address) {
    return ClientAddress.key(address);
  }
}
