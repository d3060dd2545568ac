package io.tributary.engine;

/** Per-stream counts of a finished (or failed) sync attempt. */
public record StreamStats(
    String stream,
    long recordsEmitted,
    long bytesEmitted,
    long recordsCommitted,
    long bytesCommitted) {}
