package io.tributary.common;

/**
 * The caller names something that does not exist, or that it may not see: both answer alike, so no
 * id leaks.
 */
public final class NotFoundException extends TributaryException {

  private final String resource;
  private final Object id;

  /** "Workspace not found". */
  public NotFoundException(String resource, Object id) {
    this(resource, id, resource + " not found");
  }

  /**
   * @param resource what was looked for, e.g. {@code "Stream"}
   * @param id its id or name as the caller gave it, or null
   */
  public NotFoundException(String resource, Object id, String message) {
    super(message);
    this.resource = resource;
    this.id = id;
  }

  public String resource() {
    return resource;
  }

  public Object id() {
    return id;
  }
}
