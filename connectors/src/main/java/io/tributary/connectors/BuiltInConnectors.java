package io.tributary.connectors;

import io.tributary.connector.Destination;
import io.tributary.connector.Source;
import io.tributary.connectors.duckdb.DuckDbDestination;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.faker.FakerSource;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.filesource.FileSource;
import io.tributary.connectors.localfiles.CsvDestination;
import io.tributary.connectors.localfiles.LocalJsonDestination;
import io.tributary.connectors.mysql.MysqlSource;
import io.tributary.connectors.postgres.PostgresDestination;
import io.tributary.connectors.postgres.PostgresSource;
import io.tributary.connectors.s3.S3Destination;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds the built-in connector a definition names ({@code implementation} in {@code
 * tributary/connectors/*.json}) for one organization, from what the runtime hands it: nothing is
 * read from the environment or system properties, so two organizations' connectors never share a
 * directory.
 */
public final class BuiltInConnectors {

  /**
   * What a built-in connector is given.
   *
   * @param localRoot the organization's own directory for {@code /local/...} paths
   * @param egress where the connector may connect
   */
  public record Settings(LocalRoot localRoot, EgressPolicy egress) {}

  private static final Map<String, Function<Settings, Source>> SOURCES =
      Map.of(
          FakerSource.class.getName(), settings -> new FakerSource(),
          FileSource.class.getName(),
              settings -> new FileSource(settings.localRoot(), settings.egress()),
          PostgresSource.class.getName(), settings -> new PostgresSource(settings.egress()),
          MysqlSource.class.getName(), settings -> new MysqlSource(settings.egress()));

  private static final Map<String, Function<Settings, Destination>> DESTINATIONS =
      Map.of(
          PostgresDestination.class.getName(),
              settings -> new PostgresDestination(settings.egress()),
          S3Destination.class.getName(), settings -> new S3Destination(settings.egress()),
          DuckDbDestination.class.getName(),
              settings -> new DuckDbDestination(settings.localRoot()),
          CsvDestination.class.getName(), settings -> new CsvDestination(settings.localRoot()),
          LocalJsonDestination.class.getName(),
              settings -> new LocalJsonDestination(settings.localRoot()));

  private BuiltInConnectors() {}

  /**
   * The built-in source of this class name, or empty when there is none (a destination's name
   * included).
   */
  public static Optional<Source> source(String implementation, Settings settings) {
    return Optional.ofNullable(implementation)
        .map(SOURCES::get)
        .map(factory -> factory.apply(settings));
  }

  /**
   * The built-in destination of this class name, or empty when there is none (a source's name
   * included).
   */
  public static Optional<Destination> destination(String implementation, Settings settings) {
    return Optional.ofNullable(implementation)
        .map(DESTINATIONS::get)
        .map(factory -> factory.apply(settings));
  }

  /**
   * The connector of either kind (a {@code Source} or {@code Destination}), or empty when no
   * built-in has this class name.
   */
  public static Optional<Object> create(String implementation, Settings settings) {
    return source(implementation, settings)
        .<Object>map(source -> source)
        .or(() -> destination(implementation, settings));
  }
}
