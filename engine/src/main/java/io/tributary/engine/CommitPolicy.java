package io.tributary.engine;

import java.time.Duration;

/**
 * When a writer commits: after enough records or enough time since the last commit, whichever comes
 * first. Commits bound how much a failure re-reads; each costs a transaction (or a file
 * publication) in the destination.
 */
public record CommitPolicy(long records, Duration interval) {

  public static final CommitPolicy DEFAULT = new CommitPolicy(500_000, Duration.ofMinutes(1));

  boolean due(long recordsSinceCommit, long nanosSinceCommit) {
    return recordsSinceCommit >= records || nanosSinceCommit >= interval.toNanos();
  }
}
