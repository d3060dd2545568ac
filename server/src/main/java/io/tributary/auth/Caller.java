package io.tributary.auth;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling, as established from the bearer token. Controllers declare the kind of caller they
 * accept by the parameter type: {@link OperatorCaller} for operator-only routes, {@link
 * EndUserCaller} or {@code Caller} where scoped tokens are welcome.
 */
public sealed interface Caller permits OperatorCaller, EndUserCaller {

  UUID organizationId();

  /** The widget token's origin and tag filters; empty for operators and plain scoped tokens. */
  default Optional<WidgetScope> widgetScope() {
    return Optional.empty();
  }

  /** Whether the caller is the operator's backend rather than one of its end users. */
  default boolean isOperator() {
    return TenantScope.of(this).mayNameOtherWorkspace();
  }
}
