package io.tributary.common;

/** {@code {"detail": "..."}}, the body of every non-422 error. */
public record ErrorBody(String detail) {}
