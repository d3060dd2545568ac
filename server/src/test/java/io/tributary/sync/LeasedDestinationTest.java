package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.duckdb.DuckDbDestination;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.RecordBatch;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A worker that lost its sync's job commits nothing more to the destination. */
class LeasedDestinationTest {

  @TempDir Path root;

  @Test
  void commitsAndTheSwapStopOnceTheLeaseIsLost() throws Exception {
    AtomicBoolean held = new AtomicBoolean(true);
    var destination = new LeasedDestination(new DuckDbDestination(new LocalRoot(root)), held::get);
    ObjectNode config =
        JsonNodeFactory.instance.objectNode().put("destination_path", "/local/leased.duckdb");
    WriteTarget append = target(DestinationSyncMode.APPEND, "appended");
    WriteTarget overwrite = target(DestinationSyncMode.OVERWRITE, "overwritten");
    try (StreamWriter appended = destination.open(config, append);
        StreamWriter overwritten = destination.open(config, overwrite)) {
      appended.write(batch(1));
      appended.commit(state(1));
      overwritten.write(batch(1));
      overwritten.commit(state(1));

      held.set(false); // another worker runs the job now
      appended.write(batch(2));
      assertThatThrownBy(() -> appended.commit(state(2)))
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining("could not confirm it still holds the sync's job");
      assertThatThrownBy(overwritten::complete).isInstanceOf(ConnectorException.class);
      assertThat(appended.committedState()).isEqualTo(state(1));
    }
    try (var duckdb = DriverManager.getConnection("jdbc:duckdb:" + root.resolve("leased.duckdb"));
        var statement = duckdb.createStatement()) {
      var rows = statement.executeQuery("select count(*) from main.appended");
      rows.next();
      assertThat(rows.getLong(1)).as("only what was committed while the job was ours").isEqualTo(1);
      var swapped =
          statement.executeQuery(
              "select count(*) from information_schema.tables where table_name = 'overwritten'");
      swapped.next();
      assertThat(swapped.getLong(1)).as("the overwrite was not swapped in").isZero();
    }
  }

  private static WriteTarget target(DestinationSyncMode mode, String name) {
    return new WriteTarget(
        null,
        name,
        List.of(new Field("id", FieldType.INTEGER)),
        mode,
        List.of(),
        List.of(),
        "leased/" + name);
  }

  private static RecordBatch batch(long id) {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {id});
    return new RecordBatch(rows, 8);
  }

  private static ObjectNode state(int position) {
    return JsonNodeFactory.instance.objectNode().put("position", position);
  }
}
