package io.tributary.connectors.localfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.files.JsonLinesFormat;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.testing.TestLocalFiles;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class LocalJsonDestinationTest extends LocalFilesDestinationContract {

  @Override
  protected Destination destination() {
    return new LocalJsonDestination(new LocalRoot(ROOT));
  }

  @Override
  protected ObjectNode validConfig() {
    return TestLocalFiles.destinationPath("/local/json_data");
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(
        TestLocalFiles.destinationPath("/etc/passwd-dir"),
        "is not a path under /local/",
        TestLocalFiles.destinationPath("/local/../../escape"),
        "'..' are not allowed");
  }

  @Override
  protected String folder() {
    return "json_data";
  }

  @Override
  protected List<Object[]> rows(Path part, List<Field> fields) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(part)) {
      rows.add(JsonLinesFormat.read(line, fields));
    }
    return rows;
  }

  @Test
  void pathsCannotLeaveTheRootEvenThroughHostileStreamNamesOrLinks() throws IOException {
    LocalRoot root = new LocalRoot(ROOT);
    for (String path :
        List.of("/tmp/x", "/local/../x", "../x", "/local/a/../../b", "/local/./../x")) {
      assertThatThrownBy(() -> root.directory(path))
          .as(path)
          .isInstanceOf(ConnectorException.class);
    }
    Path outside = Files.createTempDirectory("outside");
    Files.createSymbolicLink(ROOT.resolve("link-out"), outside);
    assertThatThrownBy(() -> root.directory("/local/link-out"))
        .isInstanceOf(ConnectorException.class);

    WriteTarget hostile =
        new WriteTarget(
            "../../etc",
            "../passwd",
            ALL_TYPES,
            DestinationSyncMode.APPEND,
            List.of(),
            List.of(),
            "hostile");
    write(hostile, List.of(List.<Object[]>of(nulls(1))), true);
    try (var files = Files.walk(outside)) {
      assertThat(files.count()).isEqualTo(1);
    }
    assertThat(Files.exists(ROOT.resolve("json_data").resolve(".._.._etc").resolve(".._passwd")))
        .isTrue();
  }
}
