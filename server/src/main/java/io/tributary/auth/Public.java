package io.tributary.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A route that needs no bearer token (token exchange, health, JWKS, the widget page). */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Public {

  /** Whether calls count against the client address's rate limit; off for probes such as health. */
  boolean metered() default true;
}
