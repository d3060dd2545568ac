package io.tributary.common;

/**
 * A known caller asking for what its token does not allow: another organization, another workspace.
 */
public final class ForbiddenException extends TributaryException {

  public ForbiddenException() {
    super("Access denied to this resource");
  }

  /** A refusal that says what would be allowed instead. */
  public ForbiddenException(String message) {
    super(message);
  }
}
