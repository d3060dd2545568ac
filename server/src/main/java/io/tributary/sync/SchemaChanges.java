package io.tributary.sync;

import io.tributary.connectiontemplate.NonBreakingChangesPreference;
import io.tributary.connector.WriteTarget;
import io.tributary.engine.StreamPlan;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.Field;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a source's schema moved since a connection's last successful sync, and what the connection's
 * {@code non_breaking_changes_preference} makes of it. New or dropped columns are non-breaking; a selected
 * stream that disappeared, or a primary key or cursor column that did, is breaking: nothing can sync it correctly.
 */
record SchemaChanges(List<String> breaking, List<String> nonBreaking, List<StreamPlan> streams) {

  /** {@code previous}: the field names each stream (by state key) had at the last successful sync. */
  static SchemaChanges of(List<StreamPlan> plans, List<String> missingStreams, Map<String, List<String>> previous,
      NonBreakingChangesPreference preference) {
    List<String> breaking = new ArrayList<>();
    for (String stream : missingStreams) {
      breaking.add("stream '" + stream + "' no longer exists at the source");
    }
    List<String> nonBreaking = new ArrayList<>();
    List<StreamPlan> streams = new ArrayList<>();
    for (StreamPlan plan : plans) {
      Set<String> now = new LinkedHashSet<>(plan.write().fields().stream().map(Field::name).toList());
      boolean keyed = plan.read().destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP && plan.read().primaryKey() != null;
      for (List<String> key : keyed ? plan.read().primaryKey() : List.<List<String>>of()) {
        if (!now.contains(key.getFirst())) {
          breaking.add("primary key column '" + key.getFirst() + "' of stream '" + plan.name() + "' is gone");
        }
      }
      List<String> cursor = plan.read().cursorField();
      if (plan.read().syncMode() == SyncMode.INCREMENTAL && cursor != null && !cursor.isEmpty() && !now.contains(cursor.getFirst())) {
        breaking.add("cursor column '" + cursor.getFirst() + "' of stream '" + plan.name() + "' is gone");
      }
      List<String> before = previous.get(plan.write().stateKey());
      if (before == null) {
        streams.add(plan);
        continue;
      }
      List<String> added = now.stream().filter(f -> !before.contains(f)).toList();
      List<String> dropped = before.stream().filter(f -> !now.contains(f)).toList();
      if (!added.isEmpty() || !dropped.isEmpty()) {
        nonBreaking.add("stream '" + plan.name() + "'" + (added.isEmpty() ? "" : " gained " + String.join(", ", added))
            + (added.isEmpty() || dropped.isEmpty() ? "" : " and") + (dropped.isEmpty() ? "" : " lost " + String.join(", ", dropped)));
      }
      streams.add(preference == NonBreakingChangesPreference.IGNORE && !added.isEmpty() ? without(plan, added) : plan);
    }
    return new SchemaChanges(breaking, nonBreaking, streams);
  }

  /** The stream as configured before: its new columns are neither read nor written. */
  private static StreamPlan without(StreamPlan plan, List<String> columns) {
    AirbyteStream s = plan.read().stream();
    ObjectNode schema = s.jsonSchema().deepCopy();
    ObjectNode properties = (ObjectNode) schema.get("properties");
    columns.forEach(properties::remove);
    AirbyteStream pruned = new AirbyteStream(s.name(), s.namespace(), schema, s.supportedSyncModes(), s.sourceDefinedCursor(),
        s.defaultCursorField(), s.sourceDefinedPrimaryKey(), s.isResumable());
    ConfiguredAirbyteStream read = plan.read();
    WriteTarget w = plan.write();
    return new StreamPlan(new ConfiguredAirbyteStream(pruned, read.syncMode(), read.destinationSyncMode(), read.cursorField(),
        read.primaryKey()), new WriteTarget(w.namespace(), w.name(), StreamSchema.fields(schema), w.mode(), w.primaryKey(),
        w.cursorField(), w.stateKey()), plan.fromStart());
  }
}
