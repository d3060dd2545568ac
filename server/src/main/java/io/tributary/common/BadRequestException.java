package io.tributary.common;

/**
 * An expression the caller wrote that cannot be applied as written: a JSON Patch operation outside
 * what the resource allows, a JMESPath query that does not parse or evaluate.
 */
public final class BadRequestException extends TributaryException {

  public BadRequestException(String message) {
    super(message);
  }
}
