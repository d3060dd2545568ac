package io.tributary.common;

import io.tributary.settings.TributaryProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Gives a list's controller method the {@link PageLinks} of its request: the public URL when one is
 * configured (behind a proxy the request's own host is not the one clients use), else the URL the
 * request came to.
 */
@Component
class PageLinksArgumentResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

  static {
    // The links come from the request's URL, not from a parameter: the API document lists none.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(PageLinks.class);
  }

  private final String publicUrl;

  PageLinksArgumentResolver(TributaryProperties properties) {
    this.publicUrl = properties.configuredPublicUrl();
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(this);
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == PageLinks.class;
  }

  @Override
  public PageLinks resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest webRequest,
      WebDataBinderFactory binders) {
    HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
    String url =
        publicUrl != null
            ? publicUrl + request.getRequestURI()
            : request.getRequestURL().toString();
    Map<String, List<String>> query = new LinkedHashMap<>();
    request.getParameterMap().forEach((name, values) -> query.put(name, Arrays.asList(values)));
    return new PageLinks(url, query);
  }
}
