package io.tributary.connector.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.Destination;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.Values;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every destination must do: keep every value of every type, publish only on commit, keep
 * state with data, replace atomically on overwrite. A connector's test supplies a real system and a
 * way to read back.
 */
public abstract class DestinationContract {

  protected abstract Destination destination();

  protected abstract ObjectNode validConfig();

  protected abstract Map<ObjectNode, String> brokenConfigs();

  /**
   * The rows the destination holds for {@code target}, values in field order, or empty when it
   * holds none.
   */
  protected abstract List<Object[]> readBack(ObjectNode config, WriteTarget target);

  /** Which modes this destination supports. */
  protected List<DestinationSyncMode> modes() {
    return List.of(
        DestinationSyncMode.APPEND,
        DestinationSyncMode.OVERWRITE,
        DestinationSyncMode.APPEND_DEDUP);
  }

  public static final List<Field> ALL_TYPES =
      List.of(
          new Field("id", FieldType.INTEGER),
          new Field("name", FieldType.STRING),
          Field.decimal("amount", 38, 10),
          new Field("active", FieldType.BOOLEAN),
          new Field("day", FieldType.DATE),
          new Field("at_time", FieldType.TIME_WITHOUT_TIMEZONE),
          new Field("at_time_tz", FieldType.TIME_WITH_TIMEZONE),
          new Field("local_ts", FieldType.TIMESTAMP_WITHOUT_TIMEZONE),
          new Field("updated_at", FieldType.TIMESTAMP_WITH_TIMEZONE),
          new Field("payload", FieldType.BINARY),
          new Field("doc", FieldType.JSON),
          new Field("tags", FieldType.ARRAY, FieldType.STRING));

  public static Object[] row(long id, String name, OffsetDateTime updatedAt) {
    return new Object[] {
      id,
      name,
      new BigDecimal("12345678901234567890.0123456789"),
      id % 2 == 0,
      LocalDate.of(2024, 2, 29),
      LocalTime.of(23, 59, 59, 123_456_000),
      OffsetTime.of(10, 15, 0, 0, ZoneOffset.ofHours(2)),
      LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
      updatedAt,
      new byte[] {0, 1, 2, (byte) 0xff},
      "{\"a\": [1, 2.5, null], \"b\": {\"c\": \"é\\ttab\\nline\"}}",
      List.of("x", "y, z", "\"quoted\"")
    };
  }

  public static Object[] nulls(long id) {
    Object[] row = new Object[ALL_TYPES.size()];
    row[0] = id;
    return row;
  }

  protected WriteTarget target(DestinationSyncMode mode) {
    return new WriteTarget(
        "contract_" + UUID.randomUUID().toString().substring(0, 8),
        "all types",
        ALL_TYPES,
        mode,
        mode == DestinationSyncMode.APPEND_DEDUP ? List.of(List.of("id")) : List.of(),
        mode == DestinationSyncMode.APPEND_DEDUP ? List.of("updated_at") : List.of(),
        "contract/" + UUID.randomUUID());
  }

  @Test
  void checkSucceedsOnAGoodConfigAndFailsClearlyOnBadOnes() {
    ConnectionStatus ok = destination().check(validConfig());
    assertThat(ok.ok()).as(ok.message()).isTrue();
    brokenConfigs()
        .forEach(
            (config, expected) -> {
              ConnectionStatus status = destination().check(config);
              assertThat(status.ok()).isFalse();
              assertThat(status.message()).containsIgnoringCase(expected);
            });
  }

  @Test
  void roundTripKeepsEveryValueOfEveryType() {
    WriteTarget target = target(DestinationSyncMode.APPEND);
    OffsetDateTime at =
        OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 123_456_000, ZoneOffset.ofHours(-5));
    List<Object[]> rows =
        List.<Object[]>of(
            row(1, "plain", at),
            row(2, "Ünïcødé ✓ 日本語 \t tab \n newline \\ backslash 'quote' \"dq\"", at),
            nulls(3),
            row(4, "x".repeat(1_000_000), at));
    write(target, List.of(rows), true);
    assertSameRows(readBack(validConfig(), target), rows);
  }

  @Test
  void nothingIsVisibleBeforeCommitAndStateCommitsWithData() {
    WriteTarget target = target(DestinationSyncMode.APPEND);
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
    try (StreamWriter writer = destination().open(validConfig(), target)) {
      assertThat(writer.committedState()).isNull();
      writer.write(batch(List.<Object[]>of(row(1, "a", at))));
      ObjectNode first = JsonNodeFactory.instance.objectNode().put("cursor", "1");
      writer.commit(first);
      writer.write(batch(List.<Object[]>of(row(2, "b", at))));
      assertThat(readBack(validConfig(), target)).hasSize(1);
      // closed without commit: row 2 is discarded
    }
    try (StreamWriter reopened = destination().open(validConfig(), target)) {
      assertThat(reopened.committedState().path("cursor").asString()).isEqualTo("1");
    }
    assertThat(readBack(validConfig(), target)).hasSize(1);
  }

  @Test
  void overwriteReplacesOnlyWhenComplete() {
    if (!modes().contains(DestinationSyncMode.OVERWRITE)) {
      return;
    }
    WriteTarget target = target(DestinationSyncMode.OVERWRITE);
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
    write(target, List.of(List.<Object[]>of(row(1, "old", at), row(2, "old", at))), true);
    try (StreamWriter writer = destination().open(validConfig(), target)) {
      writer.write(batch(List.<Object[]>of(row(3, "new", at))));
      writer.commit(null);
      assertThat(readBack(validConfig(), target)).as("old table until complete").hasSize(2);
      writer.complete();
    }
    List<Object[]> after = readBack(validConfig(), target);
    assertThat(after).hasSize(1);
    assertThat(after.getFirst()[1]).isEqualTo("new");
  }

  /**
   * Whether the stream's table exists at all; null when this destination's test cannot tell absent
   * from empty.
   */
  protected Boolean present(ObjectNode config, WriteTarget target) {
    return null;
  }

  @Test
  void aFailedFirstOverwriteLeavesNoTableBehind() {
    WriteTarget target = target(DestinationSyncMode.OVERWRITE);
    try (StreamWriter writer = destination().open(validConfig(), target)) {
      writer.write(batch(List.<Object[]>of(row(1, "new", OffsetDateTime.now(ZoneOffset.UTC)))));
      writer.commit(null);
      assertThat(readBack(validConfig(), target)).as("nothing to read before the swap").isEmpty();
      assertThat(present(validConfig(), target))
          .as("no empty table before the swap")
          .isNotEqualTo(Boolean.TRUE);
    } // closed without complete(): the sync failed
    assertThat(present(validConfig(), target))
        .as("no empty table after a failed first sync")
        .isNotEqualTo(Boolean.TRUE);
    write(
        target,
        List.of(List.<Object[]>of(row(2, "next", OffsetDateTime.now(ZoneOffset.UTC)))),
        true);
    assertThat(readBack(validConfig(), target)).hasSize(1);
  }

  @Test
  void dedupKeepsTheLatestVersionOfEachKey() {
    if (!modes().contains(DestinationSyncMode.APPEND_DEDUP)) {
      return;
    }
    WriteTarget target = target(DestinationSyncMode.APPEND_DEDUP);
    OffsetDateTime t1 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    write(
        target,
        List.of(
            List.<Object[]>of(row(1, "v1", t1), row(2, "v1", t1), row(1, "v2", t1.plusDays(1)))),
        true);
    write(
        target,
        List.of(List.<Object[]>of(row(2, "v3", t1.plusDays(2)), row(1, "stale", t1.minusDays(1)))),
        true);
    List<Object[]> rows = readBack(validConfig(), target);
    assertThat(rows).hasSize(2);
    Map<Object, Object> names = new java.util.HashMap<>();
    rows.forEach(r -> names.put(Values.canonical(FieldType.INTEGER, null, r[0]), r[1]));
    assertThat(names).containsEntry("1", "v2").containsEntry("2", "v3");
  }

  @Test
  void dedupFollowsAChangedPrimaryKey() {
    if (!modes().contains(DestinationSyncMode.APPEND_DEDUP)) {
      return;
    }
    WriteTarget byId = target(DestinationSyncMode.APPEND_DEDUP);
    OffsetDateTime t1 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    write(byId, List.of(List.<Object[]>of(row(1, "a", t1))), true);
    WriteTarget byIdAndName =
        new WriteTarget(
            byId.namespace(),
            byId.name(),
            byId.fields(),
            DestinationSyncMode.APPEND_DEDUP,
            List.of(List.of("id"), List.of("name")),
            byId.cursorField(),
            byId.stateKey());
    write(
        byIdAndName,
        List.of(List.<Object[]>of(row(1, "b", t1.plusDays(1)), row(1, "a", t1.plusDays(2)))),
        true);
    List<Object[]> rows = readBack(validConfig(), byIdAndName);
    assertThat(rows).as("one row per (id, name)").hasSize(2);
    assertThat(rows.stream().map(r -> r[1]).toList()).containsExactlyInAnyOrder("a", "b");
  }

  /**
   * A stream appended for a while, then deduplicated: the rows appended hold several versions of a
   * key, and the first deduplicated sync keeps the latest of each (by cursor) rather than failing
   * on them or leaving them beside the new ones.
   */
  @Test
  void dedupAfterAppendKeepsTheLatestVersionOfEachKey() {
    if (!modes().contains(DestinationSyncMode.APPEND_DEDUP)) {
      return;
    }
    WriteTarget dedup = target(DestinationSyncMode.APPEND_DEDUP);
    WriteTarget append = inMode(dedup, DestinationSyncMode.APPEND);
    OffsetDateTime t1 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    write(
        append,
        List.of(
            List.<Object[]>of(row(1, "old", t1), row(2, "only", t1)),
            List.<Object[]>of(row(1, "new", t1.plusDays(2)), row(1, "middle", t1.plusDays(1)))),
        true);
    write(dedup, List.of(List.<Object[]>of(row(3, "fresh", t1))), true);
    List<Object[]> rows = readBack(validConfig(), dedup);
    assertThat(rows.stream().map(r -> ((Number) r[0]).longValue() + "=" + r[1]).toList())
        .containsExactlyInAnyOrder("1=new", "2=only", "3=fresh");
  }

  /**
   * A stream switched from incremental to a full refresh must not resume its overwrite from the
   * incremental cursor: it would publish only the rows after it.
   */
  @Test
  void anOverwriteNeverResumesFromAnIncrementalState() {
    if (!modes().contains(DestinationSyncMode.OVERWRITE)) {
      return;
    }
    WriteTarget append = target(DestinationSyncMode.APPEND);
    WriteTarget overwrite = inMode(append, DestinationSyncMode.OVERWRITE);
    OffsetDateTime t1 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    try (StreamWriter writer = destination().open(validConfig(), append)) {
      writer.write(batch(List.<Object[]>of(row(1, "appended", t1))));
      writer.commit(JsonNodeFactory.instance.objectNode().put("cursor", 1));
    }
    try (StreamWriter writer = destination().open(validConfig(), overwrite)) {
      assertThat(writer.committedState()).isNull();
    }
  }

  /**
   * A committed state says how far one table is: the same stream writing another table (its
   * namespace changed, or the destination's default one) has nothing there to resume from.
   */
  @Test
  void aStateBelongsToTheTableItWasCommittedWith() {
    WriteTarget here = target(DestinationSyncMode.APPEND);
    WriteTarget elsewhere =
        new WriteTarget(
            here.namespace() + "_moved",
            here.name(),
            here.fields(),
            DestinationSyncMode.APPEND,
            List.of(),
            List.of(),
            here.stateKey());
    OffsetDateTime t1 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    try (StreamWriter writer = destination().open(validConfig(), here)) {
      writer.write(batch(List.<Object[]>of(row(1, "here", t1))));
      writer.commit(JsonNodeFactory.instance.objectNode().put("cursor", 1));
    }
    try (StreamWriter writer = destination().open(validConfig(), elsewhere)) {
      assertThat(writer.committedState()).isNull();
    }
    try (StreamWriter writer = destination().open(validConfig(), here)) {
      assertThat(writer.committedState())
          .isEqualTo(JsonNodeFactory.instance.objectNode().put("cursor", 1));
    }
  }

  /** The other way: a deduplicated stream appended from now on keeps every version it gets. */
  @Test
  void appendAfterDedupKeepsEveryVersion() {
    if (!modes().contains(DestinationSyncMode.APPEND_DEDUP)) {
      return;
    }
    WriteTarget dedup = target(DestinationSyncMode.APPEND_DEDUP);
    WriteTarget append = inMode(dedup, DestinationSyncMode.APPEND);
    OffsetDateTime t1 = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    write(dedup, List.of(List.<Object[]>of(row(1, "first", t1))), true);
    write(append, List.of(List.<Object[]>of(row(1, "second", t1.plusDays(1)))), true);
    assertThat(readBack(validConfig(), append).stream().map(r -> (String) r[1]).toList())
        .containsExactlyInAnyOrder("first", "second");
  }

  /** The same stream written in another mode, keyed and with a cursor only when deduplicated. */
  static WriteTarget inMode(WriteTarget target, DestinationSyncMode mode) {
    boolean dedup = mode == DestinationSyncMode.APPEND_DEDUP;
    return new WriteTarget(
        target.namespace(),
        target.name(),
        target.fields(),
        mode,
        dedup ? target.primaryKey() : List.of(),
        dedup ? target.cursorField() : List.of(),
        target.stateKey());
  }

  protected void write(WriteTarget target, List<List<Object[]>> batches, boolean complete) {
    try (StreamWriter writer = destination().open(validConfig(), target)) {
      for (List<Object[]> rows : batches) {
        writer.write(batch(rows));
        writer.commit(null);
      }
      if (complete) {
        writer.complete();
      }
    }
  }

  public static RecordBatch batch(List<Object[]> rows) {
    return new RecordBatch(new ArrayList<>(rows), rows.size() * 100L);
  }

  /** Same rows (any order), compared by meaning per field type. */
  public static void assertSameRows(List<Object[]> actual, List<Object[]> expected) {
    assertThat(canonical(actual)).containsExactlyInAnyOrderElementsOf(canonical(expected));
  }

  static List<List<String>> canonical(List<Object[]> rows) {
    List<List<String>> out = new ArrayList<>();
    for (Object[] row : rows) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < ALL_TYPES.size(); i++) {
        Field field = ALL_TYPES.get(i);
        values.add(Values.canonical(field.type(), field.itemType(), row[i]));
      }
      out.add(values);
    }
    return out;
  }
}
