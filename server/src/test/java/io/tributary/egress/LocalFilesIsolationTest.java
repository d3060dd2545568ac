package io.tributary.egress;

import static io.tributary.testing.Fixtures.FAKER;
import static io.tributary.testing.Fixtures.FILE;
import static io.tributary.testing.Fixtures.LOCAL_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SPEC §17: local files resolve inside the calling organization's directory only. Two organizations
 * sync into local-json, csv and duckdb destinations with the same paths; their operators, through
 * sources and connection templates, try every path form to read, list or overwrite the other's
 * files. End users name no local file at all: the organization's directory holds every one of its
 * workspaces' files.
 */
class LocalFilesIsolationTest extends ApiTest {

  static final String CSV = "8be1cf83-fde1-477f-a4ad-318d23c9f3c6";
  static final String DUCKDB = "94bd199c-2ff0-4aa2-b98e-17f0acb72610";

  /** The instance's local root: the test data dir's local/, as the registry resolves it. */
  static final Path LOCAL = Path.of("target", "test-data", "local").toAbsolutePath();

  static final String MANIFEST = "exports/json/customer/users/_tributary_manifest.json";

  record Organization(Fixtures.Tenant tenant, String scoped, UUID workspace, String fileTemplate) {
    Path root() {
      return LOCAL.resolve(tenant.organizationId().toString());
    }
  }

  private static Organization first;
  private static Organization second;

  /** Two organizations whose destinations have the same paths, each synced once. */
  private synchronized void organizations() {
    if (first == null) {
      first = synced();
      second = synced();
    }
  }

  private Organization synced() {
    var tenant = fixtures.tenant();
    for (var destination :
        List.of(
            Map.of("id", LOCAL_JSON, "path", "/local/exports/json"),
            Map.of("id", CSV, "path", "/local/exports/csv"),
            Map.of("id", DUCKDB, "path", "/local/exports/warehouse.duckdb"))) {
      connectionTemplate(tenant, destination.get("id"), destination.get("path"));
    }
    String faker = fixtures.allStreamsTemplate(tenant, FAKER, Map.of("count", 5, "seed", 7));
    // only an operator's template may offer local files, and only the operator names one
    String files =
        fixtures.allStreamsTemplate(tenant, FILE, Map.of("provider", Map.of("storage", "local")));
    String scoped = fixtures.scopedToken(tenant, "customer");
    var source = fixtures.embeddedSource(scoped, faker, Map.of());
    for (JsonNode connection : source.json().get("connection_ids")) {
      JsonNode job = fixtures.sync(tenant.operatorToken(), connection.asString());
      assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
    }
    return new Organization(tenant, scoped, fixtures.workspaceId(scoped), files);
  }

  @Test
  void theSameDestinationPathInTwoOrganizationsIsTwoDirectories() throws IOException {
    organizations();
    for (String manifest :
        List.of(MANIFEST, "exports/csv/customer/users/_tributary_manifest.json")) {
      Path mine = first.root().resolve(manifest);
      Path theirs = second.root().resolve(manifest);
      assertThat(mine).as(manifest).exists();
      assertThat(theirs).as(manifest).exists();
      assertThat(Files.readString(mine))
          .as("each organization's own parts")
          .isNotEqualTo(Files.readString(theirs));
    }
    assertThat(first.root().resolve("exports/warehouse.duckdb")).exists();
    assertThat(second.root().resolve("exports/warehouse.duckdb")).exists();
    assertThat(LOCAL.resolve("exports"))
        .as("nothing in the instance-wide directory")
        .doesNotExist();
  }

  @Test
  void anEndUserCannotNameALocalFileNotEvenTheirOwnWorkspaces() {
    organizations();
    // the organization's directory also holds its other workspaces' outputs
    String other = fixtures.scopedToken(second.tenant(), "another-customer");
    for (String token : List.of(other, second.scoped())) {
      var refused =
          http.post(
              "/api/v1/embedded/sources/check", token, checkRequest(second, "/local/" + MANIFEST));
      assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
      assertThat(refused.body())
          .contains("[\"body\",\"source_config\",\"url\"]")
          .contains("an end user cannot choose one")
          .doesNotContain("stolen");
      var created =
          http.post(
              "/api/v1/embedded/sources",
              token,
              Map.of(
                  "source_template_id",
                  second.fileTemplate(),
                  "source_config",
                  fileConfig("/local/" + MANIFEST)));
      assertThat(created.status()).as(created.toString()).isEqualTo(422);
    }

    // a file the operator named: the end user's source reads it, and the end user may change
    // anything but the file
    var named = createAsOperator(second, "/local/" + MANIFEST);
    assertThat(named.status()).as(named.toString()).isEqualTo(200);
    String sourceId = named.json().get("id").asString();
    var renamed =
        http.put(
            "/api/v1/embedded/sources/" + sourceId,
            second.scoped(),
            Map.of(
                "source_config",
                Map.of("dataset_name", "mine", "format", "jsonl", "url", "/local/" + MANIFEST)));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    var moved =
        http.put(
            "/api/v1/embedded/sources/" + sourceId,
            second.scoped(),
            Map.of("source_config", fileConfig("/local/exports/csv/customer/users")));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(422);
  }

  @Test
  void anOperatorReadsTheirOwnOrganizationsFilesAndNoOthers() throws IOException {
    organizations();
    String victim = first.tenant().organizationId().toString();
    // a part file name of the victim's: in no answer, whatever the answer is
    String part =
        Http.JSON
            .readTree(Files.readString(first.root().resolve(MANIFEST)))
            .get("files")
            .get(0)
            .asString();

    JsonNode own = check(second, "/local/" + MANIFEST);
    assertThat(own.get("status").asString()).as(own.toString()).isEqualTo("succeeded");

    Path planted =
        Files.createSymbolicLink(
            second.root().resolve("planted-" + UUID.randomUUID()), first.root().resolve("exports"));
    Path plantedFile =
        Files.createSymbolicLink(
            second.root().resolve("planted-" + UUID.randomUUID() + ".json"),
            first.root().resolve(MANIFEST));
    String absolute = first.root().resolve(MANIFEST).toString();
    List<String> attacks =
        List.of(
            "/local/../" + victim + "/" + MANIFEST,
            "../" + victim + "/" + MANIFEST,
            "/local/exports/../../" + victim + "/" + MANIFEST,
            "/local/%2e%2e/" + victim + "/" + MANIFEST,
            "/local/%2E%2E%2F" + victim + "/" + MANIFEST,
            "/local/..%2f" + victim + "/" + MANIFEST,
            absolute,
            "file://" + absolute,
            "/local/..\\" + victim + "\\" + MANIFEST.replace('/', '\\'),
            "/local/x\u0000/../../" + victim + "/" + MANIFEST,
            "/local/*/" + MANIFEST,
            "/local/../*/" + MANIFEST,
            "/local/**/_tributary_manifest.json",
            "/local/../" + victim.substring(0, 8) + "?" + victim.substring(9) + "/" + MANIFEST,
            "/local/../[0-9a-f]*/" + MANIFEST,
            "/local/../{" + victim + "}/" + MANIFEST,
            "~/" + MANIFEST,
            "/local/" + planted.getFileName() + "/json/customer/users/_tributary_manifest.json",
            "/local/" + plantedFile.getFileName());
    for (String url : attacks) {
      var response =
          http.post(
              "/api/v1/embedded/sources/check",
              second.tenant().operatorToken(),
              checkRequest(second, url));
      assertThat(response.body()).as(url).doesNotContain(part).doesNotContain("\"succeeded\"");
      if (response.status() == 200) {
        assertThat(response.json().get("message").asString())
            .as(url)
            .containsAnyOf("is not a path under /local/", "not found under the local root");
      } else {
        assertThat(response.status()).as(url + ": " + response).isEqualTo(422);
      }
      var created = createAsOperator(second, url);
      assertThat(created.status()).as(url + ": " + created).isIn(400, 422);
    }
    assertThat(
            check(
                    second,
                    "/local/"
                        + planted.getFileName()
                        + "/json/customer/users/_tributary_manifest.json")
                .get("message")
                .asString())
        .contains("symbolic links are not followed");
    assertThat(check(second, "/local/" + plantedFile.getFileName()).get("message").asString())
        .contains("symbolic links are not followed");
  }

  @Test
  void noDestinationPathWritesIntoAnotherOrganization() throws IOException {
    organizations();
    String victim = first.tenant().organizationId().toString();
    Map<String, String> before = snapshot(first.root());
    var tenant = fixtures.tenant();
    Path attacker = LOCAL.resolve(tenant.organizationId().toString());
    Files.createDirectories(attacker);
    Files.createSymbolicLink(attacker.resolve("planted"), first.root().resolve("exports"));
    Files.createSymbolicLink(
        attacker.resolve("planted.duckdb"), first.root().resolve("exports/warehouse.duckdb"));
    connectionTemplate(tenant, LOCAL_JSON, "/local/../" + victim + "/exports/json");
    connectionTemplate(tenant, CSV, "/local/%2e%2e/" + victim + "/exports/csv");
    connectionTemplate(tenant, LOCAL_JSON, first.root().resolve("exports/json").toString());
    connectionTemplate(tenant, CSV, "/local/..\\" + victim + "\\exports\\csv");
    connectionTemplate(tenant, LOCAL_JSON, "/local/planted/json");
    connectionTemplate(tenant, DUCKDB, "/local/../" + victim + "/exports/warehouse.duckdb");
    connectionTemplate(tenant, DUCKDB, "/local/planted.duckdb");
    connectionTemplate(tenant, DUCKDB, "/local/*.duckdb");
    String faker = fixtures.allStreamsTemplate(tenant, FAKER, Map.of("count", 5, "seed", 8));
    String scoped = fixtures.scopedToken(tenant, "customer");
    var source = fixtures.embeddedSource(scoped, faker, Map.of());
    assertThat(source.json().get("connection_ids").size()).isEqualTo(8);
    for (JsonNode connection : source.json().get("connection_ids")) {
      JsonNode job = fixtures.sync(tenant.operatorToken(), connection.asString());
      assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("failed");
      assertThat(job.get("failure_reason").asString())
          .as(job.toString())
          .containsAnyOf("is not a path under /local/", "symbolic links are not followed");
    }
    assertThat(snapshot(first.root()))
        .as("the other organization's files are untouched")
        .isEqualTo(before);
  }

  private JsonNode check(Organization organization, String url) {
    var response =
        http.post(
            "/api/v1/embedded/sources/check",
            organization.tenant().operatorToken(),
            checkRequest(organization, url));
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  /** The operator's call creating a file source in the organization's workspace. */
  private Http.Response createAsOperator(Organization organization, String url) {
    return http.post(
        "/api/v1/embedded/sources",
        organization.tenant().operatorToken(),
        Map.of(
            "workspace_id",
            organization.workspace().toString(),
            "source_template_id",
            organization.fileTemplate(),
            "source_config",
            fileConfig(url)));
  }

  private static Map<String, Object> checkRequest(Organization organization, String url) {
    return Map.of(
        "source_template_id", organization.fileTemplate(), "source_config", fileConfig(url));
  }

  private static Map<String, Object> fileConfig(String url) {
    return Map.of("dataset_name", "stolen", "format", "jsonl", "url", url);
  }

  private void connectionTemplate(Fixtures.Tenant tenant, String definition, String path) {
    fixtures.connectionTemplate(
        tenant,
        "files " + UUID.randomUUID(),
        definition,
        Map.of("destination_path", path),
        Map.of());
  }

  /** Every file under a directory with its size and modification time. */
  private static Map<String, String> snapshot(Path directory) throws IOException {
    Map<String, String> files = new TreeMap<>();
    List<Path> all = new ArrayList<>();
    try (var walk = Files.walk(directory)) {
      walk.forEach(all::add);
    }
    for (Path path : all) {
      try {
        files.put(
            directory.relativize(path).toString(),
            Files.size(path) + "@" + Files.getLastModifiedTime(path));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }
}
