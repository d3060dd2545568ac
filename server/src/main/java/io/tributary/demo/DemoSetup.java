package io.tributary.demo;

import io.tributary.auth.OperatorCaller;
import io.tributary.auth.Origins;
import io.tributary.auth.TagMode;
import io.tributary.auth.WidgetScope;
import io.tributary.common.ConflictException;
import io.tributary.connectiontemplate.ConnectionTemplateService;
import io.tributary.organization.Bootstrap;
import io.tributary.organization.OrganizationService;
import io.tributary.settings.TributaryProperties;
import io.tributary.sourcetemplate.Customization;
import io.tributary.sourcetemplate.SourceTemplateService;
import io.tributary.token.EmbeddedTokenService;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the demo needs in the bootstrap organization (else the oldest), made on first use: an
 * application to act as, two source templates (generated demo data and PostgreSQL) and a connection
 * template writing JSON files under the data directory, all tagged {@value #TAG}. The demo's tokens
 * select that tag alone, so a visitor of the demo page never sees nor uses the organization's other
 * templates, and its sources are wired to the demo's destination only.
 */
@Component
class DemoSetup {

  /** The tag the demo's templates carry and its tokens filter on. */
  static final String TAG = "tributary-demo";

  static final UUID FAKER = UUID.fromString("dfd88b22-b603-4c3d-aad7-3701784586b1");
  static final UUID POSTGRES = UUID.fromString("decd338e-5647-4c0b-adf4-da0e75f5a750");
  static final UUID LOCAL_JSON = UUID.fromString("a625d593-bba5-4a1c-a53d-2d246268a816");

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final OrganizationService organizations;
  private final SourceTemplateService sourceTemplates;
  private final ConnectionTemplateService connectionTemplates;
  private final EmbeddedTokenService tokens;
  private final TributaryProperties properties;
  private final JsonMapper json;

  DemoSetup(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      OrganizationService organizations,
      SourceTemplateService sourceTemplates,
      ConnectionTemplateService connectionTemplates,
      EmbeddedTokenService tokens,
      TributaryProperties properties,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.organizations = organizations;
    this.sourceTemplates = sourceTemplates;
    this.connectionTemplates = connectionTemplates;
    this.tokens = tokens;
    this.properties = properties;
    this.json = json;
  }

  EmbeddedTokenService.WidgetToken widgetToken(String workspace) {
    OperatorCaller operator = transactions.execute(status -> prepare());
    String origin = Origins.normalize(properties.publicBaseUrl().toString()).orElseThrow();
    return tokens.widgetToken(
        operator,
        workspace,
        null,
        new WidgetScope(origin, List.of(TAG), TagMode.ANY, List.of(TAG), TagMode.ANY));
  }

  /** The demo's operator, and this visitor's workspace once the widget made it. */
  record Visitor(OperatorCaller operator, Optional<UUID> workspaceId) {}

  Visitor visitor(String workspace) {
    OperatorCaller operator = transactions.execute(status -> prepare());
    return new Visitor(
        operator,
        jdbc.sql(
                "select id from workspaces where organization_id = ? and name = ? and deleted_at is null")
            .params(operator.organizationId(), workspace)
            .query(UUID.class)
            .optional());
  }

  private OperatorCaller prepare() {
    jdbc.sql("select pg_advisory_xact_lock(hashtext('tributary-demo'))").query().singleRow();
    UUID organization =
        jdbc.sql("select id from organizations order by name = ? desc, created_at limit 1")
            .param(Bootstrap.DEFAULT_ORGANIZATION)
            .query(UUID.class)
            .optional()
            .orElseThrow(
                () ->
                    new ConflictException(
                        "No organization yet: create one with ./tributary admin organization create"));
    UUID application =
        jdbc.sql(
                "select id from applications where organization_id = ? and revoked_at is null order by created_at limit 1")
            .param(organization)
            .query(UUID.class)
            .optional()
            .orElseGet(
                () ->
                    organizations
                        .createApplication(organization, "demo", null, null)
                        .application()
                        .id());
    if (!tagged("source_templates", "source_template_tags", organization)) {
      sourceTemplates.create(
          organization,
          "Demo data",
          FAKER,
          json.createObjectNode().put("seed", 42),
          new Customization(Customization.StreamSelectionMode.ALL, null, null, null),
          List.of(TAG));
      sourceTemplates.create(
          organization,
          "PostgreSQL",
          POSTGRES,
          json.createObjectNode(),
          Customization.DEFAULT,
          List.of(TAG));
    }
    if (!tagged("connection_templates", "connection_template_tags", organization)) {
      connectionTemplates.create(
          organization,
          new ConnectionTemplateService.Changes(
              "Demo files",
              LOCAL_JSON,
              json.createObjectNode().put("destination_path", "/local/demo"),
              "0 0 * * * ?",
              null,
              null,
              true,
              true,
              null,
              null,
              List.of(TAG)));
    }
    return new OperatorCaller(organization, application);
  }

  /**
   * Whether a live template of the organization carries the demo's tag; the table names are
   * constants above.
   */
  private boolean tagged(String templates, String templateTags, UUID organization) {
    return jdbc.sql(
            "select exists (select 1 from "
                + templates
                + " t join "
                + templateTags
                + " a on a.template_id = t.id "
                + "join tags g on g.id = a.tag_id where t.organization_id = ? and t.deleted_at is null and g.name = ?)")
        .params(organization, TAG)
        .query(Boolean.class)
        .single();
  }
}
