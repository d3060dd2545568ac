package io.tributary.common;

/**
 * A known caller asking for what its token does not allow: another organization, another workspace.
 */
public final class ForbiddenException extends TributaryException {

  public ForbiddenException() {
    super("Access denied to this resource");
  }
}
