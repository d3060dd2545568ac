package io.tributary.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.ConnectorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One organization's local directory: no path form leads out of it, no link planted in it is
 * followed.
 */
class LocalRootTest {

  @TempDir Path instanceRoot;

  private static final List<String> ESCAPES =
      List.of(
          "/local/../other",
          "/local/%2e%2e/other",
          "/local/%2E%2E%2Fother",
          "..",
          "../other",
          "/local/a/../../other",
          "/local/./x",
          "..\\other",
          "/local/a\\..\\..\\other",
          "/local/x\0/y",
          "/local/x\n",
          "/local/*",
          "/local/**/x.csv",
          "/local/?.csv",
          "/local/[ab].csv",
          "/local/{a,b}.csv",
          "/etc/passwd",
          "/tmp",
          "~/x",
          "~",
          "file:///etc/passwd",
          "s3://bucket/x.csv",
          "http://127.0.0.1:8080/x",
          "md:db",
          "C:\\x",
          "C:/x");

  @Test
  void noPathFormLeadsOutOfTheOrganizationsDirectory() throws Exception {
    LocalRoot root = LocalRoot.of(instanceRoot, UUID.randomUUID());
    Path other =
        Files.createDirectories(instanceRoot.resolve(UUID.randomUUID().toString()).resolve("data"));
    Files.writeString(other.resolve("x.csv"), "a\n1\n");
    for (String path : ESCAPES) {
      assertThatThrownBy(() -> root.directory(path))
          .as(path)
          .isInstanceOf(ConnectorException.class)
          .hasMessageContaining("is not a path under /local/");
      assertThatThrownBy(() -> root.existingFile(path + "/x.csv"))
          .as(path)
          .isInstanceOf(ConnectorException.class);
      assertThatThrownBy(() -> root.file(path + "/x.duckdb"))
          .as(path)
          .isInstanceOf(ConnectorException.class);
    }
    try (var everything = Files.walk(instanceRoot)) {
      assertThat(
              everything
                  .map(p -> p.getFileName().toString())
                  .filter(name -> name.equals("x.duckdb") || name.equals("other")))
          .as("no refused path created anything")
          .isEmpty();
    }
  }

  @Test
  void linksPlantedInsideAreRefusedNotFollowed() throws Exception {
    UUID victim = UUID.randomUUID();
    Path theirs =
        Files.createDirectories(instanceRoot.resolve(victim.toString()).resolve("exports"));
    Files.writeString(theirs.resolve("customers.csv"), "id\n1\n");
    LocalRoot root = LocalRoot.of(instanceRoot, UUID.randomUUID());
    Path mine = root.directory("/local");
    Files.createSymbolicLink(mine.resolve("shared"), theirs);
    Files.createSymbolicLink(mine.resolve("customers.csv"), theirs.resolve("customers.csv"));
    Files.createSymbolicLink(mine.resolve("warehouse.duckdb"), theirs.resolve("warehouse.duckdb"));

    assertThatThrownBy(() -> root.directory("/local/shared"))
        .hasMessageContaining("symbolic links are not followed");
    assertThatThrownBy(() -> root.directory("/local/shared", "ns", "stream"))
        .hasMessageContaining("symbolic links");
    assertThatThrownBy(() -> root.existingFile("/local/shared/customers.csv"))
        .hasMessageContaining("symbolic links");
    assertThatThrownBy(() -> root.existingFile("/local/customers.csv"))
        .hasMessageContaining("symbolic links");
    assertThatThrownBy(() -> root.file("/local/warehouse.duckdb"))
        .hasMessageContaining("symbolic links");
    assertThatThrownBy(() -> root.file("/local/shared/new.duckdb"))
        .hasMessageContaining("symbolic links");
    try (var files = Files.list(theirs)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("customers.csv");
    }
  }

  @Test
  void theSamePathInTwoOrganizationsIsTwoDirectories() {
    LocalRoot first = LocalRoot.of(instanceRoot, UUID.randomUUID());
    LocalRoot second = LocalRoot.of(instanceRoot, UUID.randomUUID());
    Path a = first.directory("/local/exports", "public", "users");
    Path b = second.directory("/local/exports", "public", "users");
    assertThat(a).isNotEqualTo(b);
    assertThat(a.toString()).contains(first.root().getFileName().toString());
    assertThat(b.toString()).contains(second.root().getFileName().toString());
    assertThat(first.directory("exports"))
        .as("a relative path means the same")
        .isEqualTo(first.directory("/local/exports"));
  }

  @Test
  void hostileStreamNamesBecomeOneSafeDirectory() {
    LocalRoot root = LocalRoot.of(instanceRoot, UUID.randomUUID());
    Path directory = root.directory("/local/out", "../../x", "*?[]{}:%\\\0");
    assertThat(directory.getParent().getFileName().toString()).isEqualTo(".._.._x");
    assertThat(directory.getFileName().toString()).isEqualTo("__________");
    assertThat(directory).startsWith(root.directory("/local"));
  }
}
