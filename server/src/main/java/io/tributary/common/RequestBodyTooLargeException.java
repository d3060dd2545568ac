package io.tributary.common;

import java.io.IOException;

/**
 * Thrown while reading a request body past the configured limit; an IOException so readers
 * propagate it.
 */
public class RequestBodyTooLargeException extends IOException {
  public RequestBodyTooLargeException(long limit) {
    super("Request body too large: the limit is " + limit + " bytes");
  }
}
