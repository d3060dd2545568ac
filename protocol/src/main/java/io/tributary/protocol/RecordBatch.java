package io.tributary.protocol;

import java.util.List;

/**
 * Records of one stream, each an array of values in the stream's field order (see {@link FieldType}
 * for the Java type of each value). Batches are how records move between threads: one hand-off per
 * batch, not per record.
 *
 * @param bytes an estimate of the records' size, for buffer accounting and statistics
 */
public record RecordBatch(List<Object[]> records, long bytes) {

  public int size() {
    return records.size();
  }
}
