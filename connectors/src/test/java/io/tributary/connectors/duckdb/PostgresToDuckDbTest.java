package io.tributary.connectors.duckdb;

import static io.tributary.connectors.duckdb.PostgresToDuckDbFidelity.assertEqualByQuery;
import static io.tributary.connectors.duckdb.PostgresToDuckDbFidelity.source;

import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.Pipe;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestLocalFiles;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Every common PostgreSQL type into a DuckDB file, compared by query on both sides. */
class PostgresToDuckDbTest {

  @Test
  void everyCommonTypeArrivesWithEqualValues() throws Exception {
    ObjectNode from = source();
    PostgresSource source = new PostgresSource(TestEgress.LOCAL);
    AirbyteStream stream = source.discover(from).stream("every_type").orElseThrow();
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.APPEND);
    WriteTarget target = Pipe.target(configured, "from_pg", "test/duck");
    ObjectNode to = TestLocalFiles.destinationPath("/local/fidelity.duckdb");
    Pipe.run(
        source,
        from,
        configured,
        new DuckDbDestination(new LocalRoot(DuckDbDestinationTest.ROOT)),
        to,
        target,
        1,
        -1);

    assertEqualByQuery(
        from,
        "jdbc:duckdb:" + DuckDbDestinationTest.ROOT.resolve("fidelity.duckdb"),
        "from_pg.every_type");
  }
}
