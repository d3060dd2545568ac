package io.tributary.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.settings.TributaryProperties;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One PostgreSQL for everything: the configured server, or the embedded one under the data
 * directory.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

  @Bean(destroyMethod = "close")
  DataSource dataSource(
      TributaryProperties properties,
      EgressPolicy egress,
      @Value("${tributary.role:server}") String role,
      @Value("${tributary.database-pool-size:20}") int poolSize,
      // undocumented, for tests only: the product's embedded database is always durable (SPEC §18)
      @Value("${tributary.embedded-durable:true}") boolean durable) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("tributary");
    config.setMaximumPoolSize(poolSize);
    if (properties.embeddedDatabase()) {
      EmbeddedPostgresServer postgres =
          "cli".equals(role) || "worker".equals(role)
              ? EmbeddedPostgresServer.connectOrStart(properties.dataDir(), durable)
              : EmbeddedPostgresServer.startForServer(properties.dataDir(), durable);
      config.setJdbcUrl(postgres.jdbcUrl());
      config.setUsername(postgres.username());
      // it trusts local connections: no end user's connector may reach it, whatever host name they
      // type
      egress.ownListener(postgres.port());
      return new EmbeddedDataSource(config, postgres);
    }
    JdbcLocation location = JdbcLocation.parse(properties.databaseUrl());
    config.setJdbcUrl(location.jdbcUrl());
    if (location.username() != null) {
      config.setUsername(location.username());
    }
    if (location.password() != null) {
      config.setPassword(location.password());
    }
    return new HikariDataSource(config);
  }

  /** Closes the pool first, then the PostgreSQL under it. */
  static final class EmbeddedDataSource extends HikariDataSource {
    private final EmbeddedPostgresServer postgres;

    EmbeddedDataSource(HikariConfig config, EmbeddedPostgresServer postgres) {
      super(config);
      this.postgres = postgres;
    }

    @Override
    public void close() {
      super.close();
      postgres.close();
    }
  }

  /**
   * Accepts {@code jdbc:postgresql://...} as well as the libpq form {@code
   * postgresql://user:pass@host:port/db}.
   */
  record JdbcLocation(String jdbcUrl, String username, String password) {
    static JdbcLocation parse(String url) {
      String trimmed = url.trim();
      if (trimmed.startsWith("jdbc:")) {
        return new JdbcLocation(trimmed, null, null);
      }
      URI uri = URI.create(trimmed);
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
        throw new IllegalStateException(
            "TRIBUTARY_DATABASE_URL must be a postgresql:// or jdbc:postgresql:// URL");
      }
      String user = null;
      String password = null;
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
      }
      String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new JdbcLocation(
          "jdbc:postgresql://" + hostPort + uri.getRawPath() + query, user, password);
    }
  }
}
