package io.tributary.connectors.egress;

import java.io.IOException;
import java.util.Optional;

/**
 * A connection the egress policy refused, thrown by a socket before it connects. An {@link
 * IOException} so that drivers and HTTP clients pass it on like any failed connect; connectors find
 * it in the cause chain with {@link #in(Throwable)} and show its message, which is the same whether
 * anything listens there or not.
 */
public final class EgressRefusedException extends IOException {

  EgressRefusedException(String message) {
    super(message);
  }

  /** The refusal somewhere in a driver's or client's exception, if that is why it failed. */
  public static Optional<EgressRefusedException> in(Throwable failure) {
    for (Throwable cause = failure;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof EgressRefusedException refused) {
        return Optional.of(refused);
      }
      for (Throwable suppressed : cause.getSuppressed()) {
        if (suppressed instanceof EgressRefusedException refused) {
          return Optional.of(refused);
        }
      }
    }
    return Optional.empty();
  }
}
