package io.tributary.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.Source;
import io.tributary.connector.contract.SourceContract;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.AirbyteStream;
import io.tributary.protocol.StreamSchema;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PostgresSourceTest extends SourceContract {

  private static ObjectNode config;

  static synchronized ObjectNode database() throws Exception {
    if (config == null) {
      config = TestPostgres.newDatabase();
      TestPostgres.execute(
          config,
          "create table users (id bigint primary key, name text, email varchar(200), updated_at timestamptz)",
          "create table orders (id bigint, user_id bigint, total numeric(12,2), placed_on date, primary key (id, user_id))",
          "insert into users select n, 'user ' || n, 'u' || n || '@example.com', now() from generate_series(1, 500) n",
          "insert into orders select n, n % 50, n * 1.25, date '2024-01-01' + n from generate_series(1, 800) n",
          "create schema hidden",
          "create table hidden.secret_table (x int)");
    }
    return config;
  }

  @Override
  protected Source source() {
    return new PostgresSource(TestEgress.LOCAL);
  }

  @Override
  protected ObjectNode validConfig() {
    try {
      return database().deepCopy();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    ObjectNode unknownHost = validConfig().put("host", "no-such-host.invalid");
    ObjectNode closedPort = validConfig().put("port", 1);
    ObjectNode unknownDatabase = validConfig().put("database", "no_such_database");
    ObjectNode unknownUser =
        validConfig().put("username", "nobody_here").put("password", "hunter2-secret");
    ObjectNode missingSchema = validConfig();
    missingSchema.putArray("schemas").add("no_such_schema");
    // .ci/run's second PostgreSQL (port 5433) runs without TLS
    ObjectNode encryptionRefused =
        validConfig()
            .put(
                "port",
                Integer.parseInt(
                    System.getenv().getOrDefault("TRIBUTARY_TEST_PGVECTOR_PORT", "5433")))
            .put("database", "postgres");
    encryptionRefused.putObject("ssl_mode").put("mode", "require");
    ObjectNode unsafeParameter =
        validConfig().put("jdbc_url_params", "socketFactory=java.lang.Object");
    return Map.of(
        unknownHost,
        "unknown host",
        closedPort,
        "connection refused",
        unknownDatabase,
        "does not exist",
        unknownUser,
        "nobody_here",
        missingSchema,
        "no_such_schema",
        unsafeParameter,
        "not an allowed parameter",
        encryptionRefused,
        "set Encryption (ssl_mode) to");
  }

  @Override
  protected Set<String> expectedStreams() {
    return Set.of("users", "orders");
  }

  @Test
  void discoverReportsKeysTypesAndHonoursTheSchemaFilter() {
    ObjectNode onlyPublic = validConfig();
    onlyPublic.putArray("schemas").add("public");
    var catalog = source().discover(onlyPublic);
    assertThat(catalog.streams())
        .extracting(AirbyteStream::name)
        .containsExactlyInAnyOrder("users", "orders");
    AirbyteStream orders = catalog.stream("orders").orElseThrow();
    assertThat(orders.namespace()).isEqualTo("public");
    assertThat(orders.sourceDefinedPrimaryKey())
        .containsExactly(java.util.List.of("id"), java.util.List.of("user_id"));
    assertThat(StreamSchema.fields(orders.jsonSchema()))
        .extracting(f -> f.name() + ":" + f.type())
        .containsExactly("id:INTEGER", "user_id:INTEGER", "total:NUMBER", "placed_on:DATE");
    assertThat(orders.jsonSchema().get("properties").get("placed_on").get("format").asString())
        .isEqualTo("date");

    assertThat(source().discover(validConfig()).stream("secret_table")).isPresent();
  }
}
