package io.tributary.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.Pipe;
import io.tributary.connectors.duckdb.PostgresToDuckDbFidelity;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestS3;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.DestinationSyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * PostgreSQL's common types into Parquet objects on S3, read back with DuckDB and compared by
 * query.
 */
class ParquetOnS3Test {

  @TempDir Path downloads;

  @Test
  void everyCommonTypeArrivesInParquetWithEqualValues() throws Exception {
    ObjectNode from = PostgresToDuckDbFidelity.source();
    PostgresSource source = new PostgresSource(TestEgress.LOCAL);
    AirbyteStream stream = source.discover(from).stream("every_type").orElseThrow();
    var configured = Pipe.fullRefresh(stream, DestinationSyncMode.APPEND);
    WriteTarget target = Pipe.target(configured, "from_pg", "test/parquet");
    ObjectNode config = TestS3.config("parquet", "Parquet");
    config.withObject("format").put("compression_codec", "ZSTD");
    Pipe.run(source, from, configured, new S3Destination(TestEgress.LOCAL), config, target, 1, -1);

    List<String> files = new ArrayList<>();
    try (var client = S3Destination.client(config, TestEgress.LOCAL)) {
      S3Prefix prefix = new S3Prefix(client, TestS3.BUCKET, "parquet/from_pg/every_type");
      for (String part : ManifestWriter.committedParts(prefix)) {
        assertThat(part).endsWith(".parquet");
        Path local = downloads.resolve(part);
        Files.write(local, prefix.read(part));
        files.add("'" + local + "'");
      }
    }
    assertThat(files).isNotEmpty();
    PostgresToDuckDbFidelity.assertEqualByQuery(
        from, "jdbc:duckdb:", "read_parquet([" + String.join(", ", files) + "])");
  }
}
