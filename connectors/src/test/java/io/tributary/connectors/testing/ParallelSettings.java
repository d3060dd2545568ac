package io.tributary.connectors.testing;

/** Turns parallel copy on for tiny tables in a test, and back to the defaults after. */
public final class ParallelSettings {

  private ParallelSettings() {}

  public static void set(int parallelism, long minRows) {
    System.setProperty("tributary.copy.parallelism", Integer.toString(parallelism));
    System.setProperty("tributary.copy.min-rows", Long.toString(minRows));
  }

  public static void clear() {
    System.clearProperty("tributary.copy.parallelism");
    System.clearProperty("tributary.copy.min-rows");
  }
}
