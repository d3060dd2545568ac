package io.tributary.connectors.filesource;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connector.ReadContext;
import io.tributary.connector.Source;
import io.tributary.connector.StreamReader;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.config.SpecifiedConnector;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.jdbc.JdbcStreamReader;
import io.tributary.connectors.jdbc.Sql;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.ConfiguredAirbyteStream;
import io.tributary.protocol.ConnectionStatus;
import io.tributary.protocol.Field;
import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.StreamSchema;
import io.tributary.protocol.SyncMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One CSV, JSON lines or Parquet file (in the organization's {@code /local/}, HTTP(S) or S3) as one
 * stream named {@code dataset_name}. DuckDB reads the file: it infers column types, handles quoting
 * and compression, and streams rows without loading the file into memory.
 */
public final class FileSource extends SpecifiedConnector implements Source {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final FileFetcher fetcher;

  public FileSource(LocalRoot root, EgressPolicy egress) {
    this(root, egress, FileFetcher.DISK_RESERVE);
  }

  /**
   * @param diskReserve what downloads leave free on the temporary directory's disk
   */
  FileSource(LocalRoot root, EgressPolicy egress, long diskReserve) {
    super("source-file");
    this.fetcher = new FileFetcher(root, egress, diskReserve);
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    try {
      discover(config);
      return ConnectionStatus.succeeded();
    } catch (ConnectorException e) {
      return ConnectionStatus.failed(e.getMessage());
    }
  }

  @Override
  public AirbyteCatalog discover(ObjectNode config) {
    String name = Config.required(config, "dataset_name");
    try (FileFetcher.Fetched file = fetch(config);
        Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      List<Field> fields = describe(duckdb, relation(config, file));
      return new AirbyteCatalog(
          List.of(
              new AirbyteStream(
                  name,
                  null,
                  StreamSchema.jsonSchema(fields),
                  List.of(SyncMode.FULL_REFRESH),
                  false,
                  List.of(),
                  List.of(),
                  false)));
    } catch (SQLException e) {
      throw unreadable(config, e);
    }
  }

  @Override
  public StreamReader read(ObjectNode config, ConfiguredAirbyteStream stream, ReadContext context) {
    FileFetcher.Fetched file = fetch(config);
    Connection duckdb = null;
    try {
      duckdb = DriverManager.getConnection("jdbc:duckdb:");
      String relation = relation(config, file);
      List<Field> present = describe(duckdb, relation);
      List<String> nested = nestedColumns(duckdb, relation);
      List<Field> wanted = StreamSchema.fields(stream.stream().jsonSchema());
      List<String> selects = new ArrayList<>();
      List<JdbcStreamReader.ColumnReader> readers = new ArrayList<>();
      for (Field field : wanted) {
        if (present.stream().noneMatch(f -> f.name().equals(field.name()))) {
          throw ConnectorException.config("Column '" + field.name() + "' is no longer in the file");
        }
        selects.add(
            nested.contains(field.name())
                ? "to_json(" + Sql.quote(field.name()) + ")::varchar"
                : Sql.quote(field.name()));
        readers.add(DuckDbColumns.reader(field));
      }
      var statement = duckdb.createStatement();
      ResultSet rows =
          statement.executeQuery("select " + String.join(", ", selects) + " from " + relation);
      JdbcStreamReader reader =
          new JdbcStreamReader(
              duckdb,
              statement,
              rows,
              readers,
              JdbcStreamReader.Cursor.NONE,
              context,
              e -> unreadable(config, e));
      return new DeletingReader(reader, file);
    } catch (SQLException e) {
      closeQuietly(duckdb);
      file.close();
      throw unreadable(config, e);
    } catch (RuntimeException e) {
      closeQuietly(duckdb);
      file.close();
      throw e;
    }
  }

  private FileFetcher.Fetched fetch(ObjectNode config) {
    return fetcher.fetch(Config.required(config, "url"), config.path("provider"));
  }

  /** The DuckDB table function reading the file with the configured format and reader options. */
  static String relation(ObjectNode config, FileFetcher.Fetched file) {
    String path = "'" + file.path().toString().replace("'", "''") + "'";
    String format = Config.string(config, "format", "csv").toLowerCase(Locale.ROOT);
    JsonNode options = readerOptions(config);
    return switch (format) {
      case "jsonl" -> "read_json(" + path + ", format = 'newline_delimited')";
      case "parquet" -> "read_parquet(" + path + ")";
      case "csv" -> {
        StringBuilder call = new StringBuilder("read_csv(" + path + ", auto_detect = true");
        String delimiter = options.path("sep").asString(options.path("delimiter").asString(null));
        if (delimiter != null) {
          call.append(", delim = ").append(literal(delimiter));
        }
        if (options.has("quotechar")) {
          call.append(", quote = ").append(literal(options.get("quotechar").asString()));
        }
        boolean header = !options.has("header") || !options.get("header").isNull();
        call.append(", header = ").append(header);
        yield call.append(")").toString();
      }
      default ->
          throw ConnectorException.config(
              "Unsupported format '" + format + "'; use csv, jsonl or parquet");
    };
  }

  private static JsonNode readerOptions(ObjectNode config) {
    String text = Config.string(config, "reader_options", "");
    if (text.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JacksonException e) {
      throw ConnectorException.config("reader_options is not valid JSON");
    }
  }

  private static List<Field> describe(Connection duckdb, String relation) throws SQLException {
    List<Field> fields = new ArrayList<>();
    try (var statement = duckdb.createStatement();
        var rs = statement.executeQuery("describe select * from " + relation)) {
      while (rs.next()) {
        fields.add(DuckDbColumns.field(rs.getString("column_name"), rs.getString("column_type")));
      }
    }
    return fields;
  }

  private static List<String> nestedColumns(Connection duckdb, String relation)
      throws SQLException {
    List<String> nested = new ArrayList<>();
    try (var statement = duckdb.createStatement();
        var rs = statement.executeQuery("describe select * from " + relation)) {
      while (rs.next()) {
        if (DuckDbColumns.nested(rs.getString("column_type"))) {
          nested.add(rs.getString("column_name"));
        }
      }
    }
    return nested;
  }

  private static ConnectorException unreadable(ObjectNode config, SQLException e) {
    String message =
        e.getMessage() == null ? "unknown error" : e.getMessage().lines().findFirst().orElse("");
    return new ConnectorException(
        FailureType.CONFIG_ERROR,
        "Could not read '"
            + FileFetcher.shown(Config.string(config, "url", "?"))
            + "' as "
            + Config.string(config, "format", "csv")
            + ": "
            + message,
        e);
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // in memory
      }
    }
  }

  /** Removes a downloaded copy when the read ends. */
  private record DeletingReader(JdbcStreamReader reader, FileFetcher.Fetched file)
      implements StreamReader {
    @Override
    public RecordBatch next() {
      return reader.next();
    }

    @Override
    public JsonNode state() {
      return null;
    }

    @Override
    public void close() {
      try {
        reader.close();
      } finally {
        file.close();
      }
    }
  }
}
