package io.tributary.testing;

import io.tributary.database.AsyncCommit;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A database of its own, migrated by the product's Flyway scripts, for service-level tests without
 * Spring or HTTP: the plain JDBC pieces the repositories are built from, and rows for the tenants,
 * workspaces and connections jobs refer to (inserted directly: these tests are about what happens
 * after).
 */
public final class LifecycleDatabase {

  public final DataSource dataSource;
  public final JdbcClient jdbc;
  public final TransactionTemplate transactions;
  public final AsyncCommit asyncCommit;

  public LifecycleDatabase() {
    String url = TestDatabase.create();
    dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), url);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
    transactions = new TransactionTemplate(manager);
    asyncCommit = new AsyncCommit(manager);
  }

  /**
   * An organization and one active workspace in a region of its own (so workers of other tests
   * never claim its jobs).
   */
  public record Tenant(
      UUID organizationId,
      UUID workspaceId,
      UUID regionId,
      UUID sourceTemplateId,
      UUID connectionTemplateId,
      UUID destinationId) {}

  public Tenant tenant(String cron) {
    UUID organization = UUID.randomUUID();
    UUID workspace = UUID.randomUUID();
    UUID region = UUID.randomUUID();
    UUID sourceTemplate = UUID.randomUUID();
    UUID connectionTemplate = UUID.randomUUID();
    UUID destination = UUID.randomUUID();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql("insert into organizations (id, name) values (?, ?)")
        .params(organization, "org-" + organization)
        .update();
    jdbc.sql("insert into workspaces (id, organization_id, name, region_id) values (?, ?, 'w', ?)")
        .params(workspace, organization, region)
        .update();
    jdbc.sql(
            """
            insert into source_templates (id, organization_id, name, actor_definition_id, partial_default_config, customization,
                created_at, updated_at) values (?, ?, 'faker', ?, '{}', '{}', ?, ?)""")
        .params(sourceTemplate, organization, UUID.randomUUID(), now, now)
        .update();
    jdbc.sql(
            """
            insert into connection_templates (id, organization_id, destination_name, destination_definition_id, destination_config,
                cron_expression, non_breaking_changes_preference, sync_on_create, namespace_format, prefix, created_at, updated_at)
            values (?, ?, 'lake', ?, '{}', ?, 'ignore', false, '', '', ?, ?)""")
        .params(connectionTemplate, organization, UUID.randomUUID(), cron, now, now)
        .update();
    jdbc.sql(
            """
            insert into destinations (id, organization_id, workspace_id, connection_template_id, definition_id, name, created_at, updated_at)
            values (?, ?, ?, ?, ?, 'lake', ?, ?)""")
        .params(
            destination, organization, workspace, connectionTemplate, UUID.randomUUID(), now, now)
        .update();
    return new Tenant(
        organization, workspace, region, sourceTemplate, connectionTemplate, destination);
  }

  /**
   * A new active connection, from a source of its own to the tenant's destination, on its
   * template's schedule.
   */
  public UUID connection(Tenant tenant) {
    UUID id = UUID.randomUUID();
    UUID source = UUID.randomUUID();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql(
            """
            insert into sources (id, organization_id, workspace_id, source_template_id, definition_id, name, config, created_at, updated_at)
            values (?, ?, ?, ?, ?, 'source', '{}', ?, ?)""")
        .params(
            source,
            tenant.organizationId(),
            tenant.workspaceId(),
            tenant.sourceTemplateId(),
            UUID.randomUUID(),
            now,
            now)
        .update();
    jdbc.sql(
            """
            insert into connections (id, organization_id, workspace_id, source_id, destination_id, connection_template_id, created_at,
                updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(
            id,
            tenant.organizationId(),
            tenant.workspaceId(),
            source,
            tenant.destinationId(),
            tenant.connectionTemplateId(),
            now,
            now)
        .update();
    return id;
  }

  /**
   * A second connection from {@code connection}'s source, to a destination of a connection template
   * of its own (copies of the tenant's).
   */
  public UUID connectionOfTheSameSource(Tenant tenant, UUID connection) {
    UUID template = UUID.randomUUID();
    UUID destination = UUID.randomUUID();
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            insert into connection_templates
            select (jsonb_populate_record(null::connection_templates,
                    to_jsonb(t) || jsonb_build_object('id', ?::text))).*
            from connection_templates t where id = ?""")
        .params(template, tenant.connectionTemplateId())
        .update();
    jdbc.sql(
            """
            insert into destinations
            select (jsonb_populate_record(null::destinations,
                    to_jsonb(d) || jsonb_build_object('id', ?::text, 'connection_template_id', ?::text))).*
            from destinations d where id = ?""")
        .params(destination, template, tenant.destinationId())
        .update();
    jdbc.sql(
            """
            insert into connections
            select (jsonb_populate_record(null::connections,
                    to_jsonb(c) || jsonb_build_object('id', ?::text, 'destination_id', ?::text,
                                                      'connection_template_id', ?::text))).*
            from connections c where id = ?""")
        .params(id, destination, template, connection)
        .update();
    return id;
  }

  /** One column of a job's row, e.g. {@code status}, as text (null when null). */
  public String job(UUID jobId, String column) {
    return jdbc.sql("select " + column + "::text from jobs where id = ?")
        .param(jobId)
        .query(String.class)
        .list()
        .getFirst();
  }
}
