package io.tributary.connectors.filesource;

import static io.tributary.connector.contract.SourceContract.full;
import static io.tributary.connector.contract.SourceContract.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.connector.Source;
import io.tributary.connector.contract.SourceContract;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.s3.S3Destination;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestS3;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.FieldType;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class FileSourceTest extends SourceContract {

  static final Path ROOT = root();
  static final String CSV =
      "id,name,amount,born\n1,\"Lovelace, Ada\",12.50,1815-12-10\n2,Grace Hopper ✓,3.25,1906-12-09\n3,,,\n";

  private static Path root() {
    try {
      Path root = Files.createTempDirectory("tributary-files");
      Files.writeString(root.resolve("people.csv"), CSV);
      Files.writeString(
          root.resolve("people.jsonl"),
          "{\"id\": 1, \"name\": \"Ada\", \"tags\": [\"a\", \"b\"], \"address\": {\"city\": \"London\"}}\n"
              + "{\"id\": 2, \"name\": null, \"tags\": [], \"address\": {\"city\": \"New York\"}}\n");
      Files.writeString(root.resolve("semicolon.csv"), "a;b\n1;x\n");
      Files.writeString(root.resolve("broken.jsonl"), "{\"id\": 1\nnot json at all\n");
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final FileSource source = new FileSource(new LocalRoot(ROOT), TestEgress.LOCAL);

  static ObjectNode config(String url, String format, String storage) {
    ObjectNode config =
        JsonNodeFactory.instance
            .objectNode()
            .put("dataset_name", "people")
            .put("format", format)
            .put("url", url);
    config.putObject("provider").put("storage", storage);
    return config;
  }

  @Override
  protected Source source() {
    return source;
  }

  @Override
  protected ObjectNode validConfig() {
    return config("/local/people.csv", "csv", "local");
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(
        config("/local/missing.csv", "csv", "local"),
        "not found",
        config("/local/../../etc/passwd", "csv", "local"),
        "'..' are not allowed",
        config("/local/broken.jsonl", "jsonl", "local"),
        "could not read",
        config("http://no-such-host.invalid/x.csv", "csv", "HTTPS"),
        "unknown host");
  }

  @Override
  protected Set<String> expectedStreams() {
    return Set.of("people");
  }

  @Test
  void csvColumnsAreTypedAndValuesExact() {
    AirbyteStream stream = source.discover(validConfig()).stream("people").orElseThrow();
    assertThat(StreamSchema.fields(stream.jsonSchema()))
        .extracting(f -> f.name() + ":" + f.type())
        .containsExactly("id:INTEGER", "name:STRING", "amount:NUMBER", "born:DATE");
    List<Object[]> rows = records(readAll(source, validConfig(), full(stream), null));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)[0]).isEqualTo(1L);
    assertThat(rows.get(0)[1]).isEqualTo("Lovelace, Ada");
    assertThat((BigDecimal) rows.get(0)[2]).isEqualByComparingTo("12.50");
    assertThat(rows.get(0)[3]).isEqualTo(LocalDate.of(1815, 12, 10));
    assertThat(rows.get(1)[1]).isEqualTo("Grace Hopper ✓");
    assertThat(rows.get(2)).containsExactly(3L, null, null, null);
  }

  @Test
  void readerOptionsChooseTheDelimiter() {
    ObjectNode config =
        config("/local/semicolon.csv", "csv", "local").put("reader_options", "{\"sep\": \";\"}");
    AirbyteStream stream = source.discover(config).stream("people").orElseThrow();
    assertThat(StreamSchema.fields(stream.jsonSchema()))
        .extracting(f -> f.name())
        .containsExactly("a", "b");
  }

  @Test
  void jsonLinesKeepNestedValuesAsJson() {
    ObjectNode config = config("/local/people.jsonl", "jsonl", "local");
    AirbyteStream stream = source.discover(config).stream("people").orElseThrow();
    assertThat(StreamSchema.fields(stream.jsonSchema()))
        .extracting(f -> f.name() + ":" + f.type())
        .contains("tags:JSON", "address:JSON");
    List<Object[]> rows = records(readAll(source, config, full(stream), null));
    assertThat(rows.get(0)[2]).isEqualTo("[\"a\",\"b\"]");
    assertThat(rows.get(0)[3]).isEqualTo("{\"city\":\"London\"}");
  }

  @Test
  void parquetFilesAreRead() throws Exception {
    Path parquet = ROOT.resolve("people.parquet");
    try (var duck = DriverManager.getConnection("jdbc:duckdb:");
        var s = duck.createStatement()) {
      s.execute(
          "copy (select 1::bigint as id, 'Ada' as name, 12.5::decimal(10,2) as amount, timestamptz '2024-01-01 10:00:00+00' as at)"
              + " to '"
              + parquet
              + "' (format parquet)");
    }
    ObjectNode config = config("/local/people.parquet", "parquet", "local");
    AirbyteStream stream = source.discover(config).stream("people").orElseThrow();
    assertThat(StreamSchema.fields(stream.jsonSchema()))
        .extracting(f -> f.name() + ":" + f.type())
        .containsExactly(
            "id:INTEGER",
            "name:STRING",
            "amount:NUMBER",
            "at:" + FieldType.TIMESTAMP_WITH_TIMEZONE);
    assertThat(records(readAll(source, config, full(stream), null)).getFirst()[2])
        .isEqualTo(new BigDecimal("12.50"));
  }

  @Test
  void httpAndS3FilesAreDownloadedAndRead() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/people.csv",
        exchange -> {
          byte[] body = CSV.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      ObjectNode http =
          config(
              "http://127.0.0.1:" + server.getAddress().getPort() + "/people.csv", "csv", "HTTPS");
      assertThat(
              records(
                  readAll(
                      source,
                      http,
                      full(source.discover(http).stream("people").orElseThrow()),
                      null)))
          .hasSize(3);
      ObjectNode missing =
          config(
              "http://127.0.0.1:" + server.getAddress().getPort() + "/nope.csv?signature=s3cr3t",
              "csv",
              "HTTPS");
      assertThat(source.check(missing).message())
          .contains("HTTP 404")
          .contains("/nope.csv?…")
          .doesNotContain("s3cr3t");
    } finally {
      server.stop(0);
    }

    try (var client = S3Destination.client(TestS3.config("", "CSV"), TestEgress.LOCAL)) {
      client.putObject(
          b -> b.bucket(TestS3.BUCKET).key("inbox/people.csv"), RequestBody.fromString(CSV));
    }
    ObjectNode s3 = config("s3://" + TestS3.BUCKET + "/inbox/people.csv", "csv", "S3");
    s3.withObject("provider")
        .put("endpoint", TestS3.endpoint())
        .put("aws_access_key_id", "k")
        .put("aws_secret_access_key", "s");
    assertThat(
            records(
                readAll(
                    source, s3, full(source.discover(s3).stream("people").orElseThrow()), null)))
        .hasSize(3);
  }

  @Test
  void messagesShowAUrlWithoutItsCredentials() {
    assertThat(FileFetcher.shown("https://ada:pa55@files.example:8443/a.csv?X-Amz-Signature=abc"))
        .isEqualTo("https://files.example:8443/a.csv?…");
    assertThat(FileFetcher.shown("s3://bucket/inbox/a.csv")).isEqualTo("s3://bucket/inbox/a.csv");
    assertThat(FileFetcher.shown("/local/a.csv")).isEqualTo("/local/a.csv");
    assertThat(FileFetcher.shown("not a url with user@secret")).doesNotContain("secret");
  }

  @Test
  void aDownloadStopsBeforeItFillsTheDisk() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/endless.csv",
        exchange -> {
          // no length announced: the download only finds out as the disk fills
          exchange.sendResponseHeaders(200, 0);
          byte[] row = "1,Ada,1.5,1815-12-10\n".repeat(4096).getBytes(StandardCharsets.UTF_8);
          try (var body = exchange.getResponseBody()) {
            for (int i = 0; i < 1024; i++) {
              body.write(row);
            }
          } catch (IOException gone) {
            // the client stopped reading
          }
        });
    server.start();
    try {
      Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
      List<Path> before = downloads(temporary);
      long free = Files.getFileStore(temporary).getUsableSpace();
      // a reserve 40 MiB below what is free now: the ~85 MiB body cannot fit
      var tight = new FileSource(new LocalRoot(ROOT), TestEgress.LOCAL, free - (40L << 20));
      ObjectNode endless =
          config(
              "http://127.0.0.1:" + server.getAddress().getPort() + "/endless.csv", "csv", "HTTPS");
      assertThat(tight.check(endless).message())
          .contains("the server's temporary disk would keep less than");
      assertThat(downloads(temporary)).as("what was written is gone").isSubsetOf(before);
    } finally {
      server.stop(0);
    }
  }

  private static List<Path> downloads(Path directory) throws IOException {
    try (var files = Files.newDirectoryStream(directory, "tributary-file-*.download")) {
      return java.util.stream.StreamSupport.stream(files.spliterator(), false).toList();
    }
  }

  static List<Object[]> records(List<RecordBatch> batches) {
    return batches.stream().flatMap(b -> b.records().stream()).toList();
  }
}
