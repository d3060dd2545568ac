package io.tributary.auth;

import io.tributary.health.HealthController;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class AuthWebConfig implements WebMvcConfigurer {

  static {
    // Callers come from the bearer token, not from the request: the API document lists no parameter
    // for them.
    SpringDocUtils.getConfig()
        .addRequestWrapperToIgnore(Caller.class, OperatorCaller.class, EndUserCaller.class);
  }

  private final ApiAccessInterceptor access;
  private final CallerArgumentResolver callers;

  AuthWebConfig(ApiAccessInterceptor access, CallerArgumentResolver callers) {
    this.access = access;
    this.callers = callers;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    // liveness must answer while the database does not, and the rate limiter counts in it
    registry.addInterceptor(access).excludePathPatterns(HealthController.LIVE);
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(callers);
  }
}
