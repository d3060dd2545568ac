package io.tributary.token;

import io.tributary.TributaryProperties;
import io.tributary.common.ApiException;
import io.tributary.organization.ApplicationRepository;
import io.tributary.organization.SecretHasher;
import io.tributary.ratelimit.RateLimiter;
import java.time.Duration;
import org.springframework.stereotype.Service;

/**
 * The client-credentials exchange. Failures are counted per client id and per client address in one-minute
 * windows; past the limit every attempt is refused before the secret is even compared, so secrets cannot be
 * guessed at speed.
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
      ApplicationRepository applications, TokenService tokens, RateLimiter limiter, TributaryProperties properties) {
    this.applications = applications;
    this.tokens = tokens;
    this.limiter = limiter;
    this.clientFailuresPerMinute = properties.failedLoginsPerClientPerMinute();
    this.addressFailuresPerMinute = properties.failedLoginsPerAddressPerMinute();
  }

  ApplicationTokenController.AccessToken exchange(String clientId, String clientSecret, String address) {
    String clientBucket = "login-client:" + clientId;
    String addressBucket = "login-address:" + address;
    refuseWhenTooManyFailures(clientBucket, clientFailuresPerMinute);
    refuseWhenTooManyFailures(addressBucket, addressFailuresPerMinute);
    var credentials = applications.findActiveCredentials(clientId);
    boolean valid = SecretHasher.matches(clientSecret, credentials.map(ApplicationRepository.Credentials::secretHash).orElse(null));
    if (!valid) {
      limiter.hit(clientBucket, clientFailuresPerMinute, FAILURE_WINDOW);
      limiter.hit(addressBucket, addressFailuresPerMinute, FAILURE_WINDOW);
      throw ApiException.unauthorized();
    }
    var application = credentials.get().application();
    TokenService.IssuedToken token =
        tokens.issueOperatorToken(application.organizationId(), application.id(), application.clientId());
    return new ApplicationTokenController.AccessToken(
        token.token(), "bearer", token.ttl().toSeconds(), application.organizationId());
  }

  private void refuseWhenTooManyFailures(String bucket, int limit) {
    RateLimiter.Decision failures = limiter.peek(bucket, limit, FAILURE_WINDOW);
    if (failures.hits() >= limit) {
      throw new ApiException.TooManyRequests("Too many failed attempts; try again later", failures.retryAfter());
    }
  }
}
