package io.tributary.connectors.testing;

import io.tributary.connectors.egress.EgressPolicy;

/**
 * The egress policy tests run with: their PostgreSQL, MariaDB, S3 and HTTP servers listen on this
 * machine, which they allow as an operator would with {@code
 * TRIBUTARY_EGRESS_ALLOW=127.0.0.0/8,::1,localhost}.
 */
public final class TestEgress {

  public static final EgressPolicy LOCAL =
      EgressPolicy.builder().allow("127.0.0.0/8,::1,localhost").build();

  private TestEgress() {}
}
