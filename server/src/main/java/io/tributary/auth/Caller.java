package io.tributary.auth;

import java.util.UUID;

/**
 * Who is calling, as established from the bearer token. Controllers declare the kind of caller they
 * accept by the parameter type: {@link OperatorCaller} for operator-only routes, {@link
 * EndUserCaller} or {@code Caller} where scoped tokens are welcome.
 */
public sealed interface Caller permits OperatorCaller, EndUserCaller {

  UUID organizationId();
}
