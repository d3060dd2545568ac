package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The engine's buffers come from the heap the launcher gave the process, not a fixed 64 MiB. */
class SyncBufferSizeTest {

  private static final long MIB = 1L << 20;

  @Test
  void theBuffersOfEverySyncAtOnceFillAtMostAnEighthOfTheHeap() {
    // the launcher's default heap, two syncs at once of two streams each
    assertThat(SyncWorker.bufferBytes(256 * MIB, 2)).isEqualTo(8 * MIB);
    assertThat(SyncWorker.bufferBytes(256 * MIB, 2) * 2 * 2).isLessThanOrEqualTo(256 * MIB / 8);
  }

  @Test
  void smallHeapsStillGetAUsefulBufferAndLargeOnesNoMoreThanTheEnginesDefault() {
    assertThat(SyncWorker.bufferBytes(64 * MIB, 16)).isEqualTo(4 * MIB);
    assertThat(SyncWorker.bufferBytes(64L * 1024 * MIB, 1)).isEqualTo(64 * MIB);
    assertThat(SyncWorker.bufferBytes(256 * MIB, 0)).isEqualTo(16 * MIB);
  }
}
