package io.tributary.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.ReadContext;
import io.tributary.connector.StreamReader;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.contract.Pipe;
import io.tributary.connector.contract.SourceContract;
import io.tributary.connectors.testing.ParallelSettings;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** The parallel full refresh: key ranges under one exported snapshot, parallel copies. */
class PostgresParallelCopyTest {

  private final PostgresSource source = new PostgresSource(TestEgress.LOCAL);
  private final PostgresDestination destination = new PostgresDestination(TestEgress.LOCAL);
  private final List<String> logs = new CopyOnWriteArrayList<>();

  @BeforeEach
  void parallelFromTheFirstRow() {
    ParallelSettings.set(4, 0);
  }

  @AfterEach
  void defaults() {
    ParallelSettings.clear();
  }

  /**
   * Read as values, and as COPY tuples passed through to a destination that asked for them: both
   * see the snapshot, not the changes committed while the ranges read.
   */
  @ParameterizedTest(name = "tuples passed through: {0}")
  @ValueSource(booleans = {false, true})
  void changesCommittedDuringTheReadAreNotSeen(boolean passThrough) throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        "create table items (id bigint primary key, name text)",
        "insert into items select g, 'v' || g from generate_series(1, 200000) g");
    List<String> snapshot = rows(from, "public.items");
    AirbyteStream stream = source.discover(from).stream("items").orElseThrow();
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.OVERWRITE);
    List<String> read = new ArrayList<>();
    try (StreamWriter writer = destination.open(to, Pipe.target(configured, "copied", "t/items"));
        StreamReader reader =
            source.read(from, configured, context(passThrough ? writer.rowFormat() : null))) {
      // every range has started under the exported snapshot when read returns; whatever commits
      // now is after it
      TestPostgres.execute(
          from,
          "update items set name = 'changed' where id % 7 = 0",
          "delete from items where id % 11 = 0",
          "insert into items select g, 'new' from generate_series(200001, 210000) g",
          "update items set id = id + 1000000 where id between 1 and 500");
      for (RecordBatch batch = reader.next(); batch != null; batch = reader.next()) {
        assertThat(batch.encoded() != null).isEqualTo(passThrough);
        if (!passThrough) {
          for (Object[] record : batch.records()) {
            read.add(record[0] + " " + record[1]);
          }
        }
        writer.write(batch);
      }
      writer.commit(null);
      writer.complete();
    }
    if (passThrough) {
      assertThat(logs).anyMatch(m -> m.contains("binary COPY tuples through"));
    } else {
      read.sort(null);
      assertThat(read).containsExactlyElementsOf(snapshot);
    }
    assertThat(rows(to, "copied.items")).containsExactlyElementsOf(snapshot);
    assertThat(logs).anyMatch(m -> m.contains("4 key ranges in parallel"));
    assertThat(rows(from, "public.items")).isNotEqualTo(snapshot);
  }

  @Test
  void aLargeOverwriteArrivesWholeThroughParallelCopies() throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        "create table big (id int primary key, name text, at timestamptz)",
        "insert into big select g, md5(g::text), '2026-01-01'::timestamptz + g * interval '1 s'"
            + " from generate_series(1, 50000) g");
    AirbyteStream stream = source.discover(from).stream("big").orElseThrow();
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.OVERWRITE);
    // several commits, so parallel copies are flushed and committed more than once
    Pipe.run(
        source,
        from,
        configured,
        destination,
        to,
        Pipe.target(configured, "copied", "t/big"),
        2,
        -1);
    assertThat(checksum(to, "copied.big")).isEqualTo(checksum(from, "public.big"));
  }

  @Test
  void aTableWithoutAKeyIsReadSequentially() throws Exception {
    ObjectNode from = TestPostgres.newDatabase();
    ObjectNode to = TestPostgres.newDatabase();
    TestPostgres.execute(
        from,
        "create table loose (id int, name text)",
        "insert into loose select g % 100, 'n' || g from generate_series(1, 5000) g",
        "create table texts (code text primary key, n int)",
        "insert into texts select 'c' || g, g from generate_series(1, 1000) g");
    for (String table : List.of("loose", "texts")) {
      AirbyteStream stream = source.discover(from).stream(table).orElseThrow();
      var configured = Pipe.fullRefresh(stream, DestinationSyncMode.OVERWRITE);
      try (StreamReader reader = source.read(from, configured, context())) {
        assertThat(reader).isNotInstanceOf(io.tributary.connectors.jdbc.ParallelReader.class);
      }
      Pipe.run(
          source,
          from,
          configured,
          destination,
          to,
          Pipe.target(configured, "copied", "t/" + table),
          1,
          -1);
      assertThat(checksum(to, "copied." + table)).isEqualTo(checksum(from, "public." + table));
    }
  }

  private ReadContext context() {
    return context(null);
  }

  private ReadContext context(RowFormat rowFormat) {
    return SourceContract.context(null, rowFormat, logs::add);
  }

  private static List<String> rows(ObjectNode config, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = TestPostgres.connect(config);
        var s = c.createStatement();
        var rs = s.executeQuery("select id, name from " + table)) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + " " + rs.getString(2));
      }
    }
    rows.sort(null);
    return rows;
  }

  private static String checksum(ObjectNode config, String table) throws Exception {
    try (Connection c = TestPostgres.connect(config);
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "select count(*) || ' ' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '')"
                    + " from (select "
                    + (table.endsWith("big")
                        ? "id, name, at"
                        : table.endsWith("loose") ? "id, name" : "code, n")
                    + " from "
                    + table
                    + ") t")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
