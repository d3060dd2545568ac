package io.tributary.connectors.faker;

import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.protocol.RecordBatch;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Emits one sample stream in id order, skipping records not updated after the incremental cursor.
 */
final class FakeReader implements StreamReader {

  private final FakeStream stream;
  private final FakeData data;
  private final int batchSize;
  private final OffsetDateTime after;
  private final ReadContext context;
  private final int updatedAt;
  private final int[] projection;
  private OffsetDateTime cursor;
  private long nextId = 1;
  private int user = 1;
  private int purchaseOfUser;

  FakeReader(
      FakeStream stream,
      FakeData data,
      int batchSize,
      OffsetDateTime after,
      ReadContext context,
      int[] projection) {
    this.projection = projection;
    this.stream = stream;
    this.data = data;
    this.batchSize = batchSize;
    this.after = after;
    this.context = context;
    this.updatedAt = stream.updatedAtIndex();
    this.cursor = after;
  }

  @Override
  public RecordBatch next() {
    List<Object[]> records = new ArrayList<>(batchSize);
    while (records.size() < batchSize && !context.cancelled()) {
      Object[] record = produce();
      if (record == null) {
        break;
      }
      OffsetDateTime updated = (OffsetDateTime) record[updatedAt];
      if (after == null || updated.isAfter(after)) {
        Object[] projected = new Object[projection.length];
        for (int i = 0; i < projection.length; i++) {
          projected[i] = record[projection[i]];
        }
        records.add(projected);
        if (cursor == null || updated.isAfter(cursor)) {
          cursor = updated;
        }
      }
    }
    return records.isEmpty() ? null : new RecordBatch(records, records.size() * 200L);
  }

  private Object[] produce() {
    return switch (stream) {
      case USERS -> nextId <= data.users() ? data.user(nextId++) : null;
      case PRODUCTS -> nextId <= FakeData.PRODUCTS ? data.product(nextId++) : null;
      case PURCHASES -> {
        while (user <= data.users() && purchaseOfUser >= data.purchasesOf(user)) {
          user++;
          purchaseOfUser = 0;
        }
        yield user <= data.users() ? data.purchase(nextId++, user, purchaseOfUser++) : null;
      }
    };
  }

  @Override
  public JsonNode state() {
    if (cursor == null) {
      return null;
    }
    ObjectNode state = JsonNodeFactory.instance.objectNode();
    state.put("updated_at", cursor.toString());
    return state;
  }

  @Override
  public void close() {}
}
