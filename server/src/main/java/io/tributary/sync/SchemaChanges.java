package io.tributary.sync;

import io.tributary.connectiontemplate.NonBreakingChangesPreference;
import io.tributary.connector.WriteTarget;
import io.tributary.engine.StreamPlan;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
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
 * {@code non_breaking_changes_preference} makes of it. New or dropped columns and changed column
 * types are non-breaking; a selected stream that disappeared, or a primary key or cursor column
 * that did, is breaking: nothing can sync it correctly, except that {@code propagate_fully} drops a
 * vanished stream from the sync. Only {@code propagate_fully} changes a destination column's type;
 * the other preferences keep it, and values that do not fit it fail the sync with the destination's
 * message.
 */
record SchemaChanges(
    List<String> breaking,
    List<String> nonBreaking,
    List<StreamPlan> streams,
    boolean typesChanged) {

  /**
   * A field's type as recorded after a successful sync, e.g. {@code integer} or {@code
   * array<string>}.
   */
  static String typeOf(Field field) {
    String type = field.type().name().toLowerCase(java.util.Locale.ROOT);
    return field.itemType() == null
        ? type
        : type + "<" + field.itemType().name().toLowerCase(java.util.Locale.ROOT) + ">";
  }

  /** What happened to the non-breaking changes, for the job's log. */
  String handling(NonBreakingChangesPreference preference) {
    String kept = typesChanged ? "; destination column types kept" : "";
    return switch (preference) {
      case IGNORE -> "new columns ignored" + kept;
      case PROPAGATE_FULLY -> "propagated";
      default -> "propagated" + kept;
    };
  }

  /** {@code previous}: each stream's shape (by state key) at the last successful sync. */
  static SchemaChanges of(
      List<StreamPlan> plans,
      List<String> missingStreams,
      Map<String, StreamSchemaRepository.StreamShape> previous,
      NonBreakingChangesPreference preference) {
    List<String> breaking = new ArrayList<>();
    List<String> nonBreaking = new ArrayList<>();
    for (String stream : missingStreams) {
      // propagate_fully follows stream changes too: a stream gone at the source is simply no longer
      // synced
      if (preference == NonBreakingChangesPreference.PROPAGATE_FULLY) {
        nonBreaking.add(
            "stream '" + stream + "' no longer exists at the source and is no longer synced");
      } else {
        breaking.add("stream '" + stream + "' no longer exists at the source");
      }
    }
    List<StreamPlan> streams = new ArrayList<>();
    boolean typesChanged = false;
    for (StreamPlan plan : plans) {
      Set<String> now =
          new LinkedHashSet<>(plan.write().fields().stream().map(Field::name).toList());
      boolean keyed =
          plan.read().destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
              && plan.read().primaryKey() != null;
      for (List<String> key : keyed ? plan.read().primaryKey() : List.<List<String>>of()) {
        if (!now.contains(key.getFirst())) {
          breaking.add(
              "primary key column '"
                  + key.getFirst()
                  + "' of stream '"
                  + plan.name()
                  + "' is gone");
        }
      }
      List<String> cursor = plan.read().cursorField();
      if (plan.read().syncMode() == SyncMode.INCREMENTAL
          && cursor != null
          && !cursor.isEmpty()
          && !now.contains(cursor.getFirst())) {
        breaking.add(
            "cursor column '" + cursor.getFirst() + "' of stream '" + plan.name() + "' is gone");
      }
      StreamSchemaRepository.StreamShape shape = previous.get(plan.write().stateKey());
      if (shape == null) {
        streams.add(plan);
        continue;
      }
      List<String> before = shape.fields();
      List<String> added = now.stream().filter(f -> !before.contains(f)).toList();
      List<String> dropped = before.stream().filter(f -> !now.contains(f)).toList();
      if (!added.isEmpty() || !dropped.isEmpty()) {
        nonBreaking.add(
            "stream '"
                + plan.name()
                + "'"
                + (added.isEmpty() ? "" : " gained " + String.join(", ", added))
                + (added.isEmpty() || dropped.isEmpty() ? "" : " and")
                + (dropped.isEmpty() ? "" : " lost " + String.join(", ", dropped)));
      }
      List<String> retyped = new ArrayList<>();
      for (Field field : plan.write().fields()) {
        String was = shape.types().get(field.name());
        if (was != null && !was.equals(typeOf(field))) {
          retyped.add(field.name());
          nonBreaking.add(
              "column "
                  + field.name()
                  + " of stream '"
                  + plan.name()
                  + "' changed type from "
                  + was
                  + " to "
                  + typeOf(field));
        }
      }
      typesChanged |= !retyped.isEmpty();
      StreamPlan handled =
          preference == NonBreakingChangesPreference.IGNORE && !added.isEmpty()
              ? without(plan, added)
              : plan;
      streams.add(
          preference == NonBreakingChangesPreference.PROPAGATE_FULLY && !retyped.isEmpty()
              ? retyping(handled, retyped)
              : handled);
    }
    return new SchemaChanges(breaking, nonBreaking, streams, typesChanged);
  }

  /** The stream with its destination told to convert these columns to their new types. */
  private static StreamPlan retyping(StreamPlan plan, List<String> columns) {
    WriteTarget w = plan.write();
    return new StreamPlan(
        plan.read(),
        new WriteTarget(
            w.namespace(),
            w.name(),
            w.fields(),
            w.mode(),
            w.primaryKey(),
            w.cursorField(),
            w.stateKey(),
            columns),
        plan.fromStart());
  }

  /** The stream as configured before: its new columns are neither read nor written. */
  private static StreamPlan without(StreamPlan plan, List<String> columns) {
    AirbyteStream s = plan.read().stream();
    ObjectNode schema = s.jsonSchema().deepCopy();
    ObjectNode properties = (ObjectNode) schema.get("properties");
    columns.forEach(properties::remove);
    AirbyteStream pruned =
        new AirbyteStream(
            s.name(),
            s.namespace(),
            schema,
            s.supportedSyncModes(),
            s.sourceDefinedCursor(),
            s.defaultCursorField(),
            s.sourceDefinedPrimaryKey(),
            s.isResumable());
    ConfiguredAirbyteStream read = plan.read();
    WriteTarget w = plan.write();
    return new StreamPlan(
        new ConfiguredAirbyteStream(
            pruned,
            read.syncMode(),
            read.destinationSyncMode(),
            read.cursorField(),
            read.primaryKey()),
        new WriteTarget(
            w.namespace(),
            w.name(),
            StreamSchema.fields(schema),
            w.mode(),
            w.primaryKey(),
            w.cursorField(),
            w.stateKey()),
        plan.fromStart());
  }
}
