package io.tributary.connectors.localfiles;

import io.tributary.connector.Destination;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.testing.TestLocalFiles;
import io.tributary.protocol.Field;
import io.tributary.protocol.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

class CsvDestinationTest extends LocalFilesDestinationContract {

  @Override
  protected Destination destination() {
    return new CsvDestination(new LocalRoot(ROOT));
  }

  @Override
  protected ObjectNode validConfig() {
    return TestLocalFiles.destinationPath("/local/csv_data").put("delimiter", "Semicolon: ;");
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(TestLocalFiles.destinationPath("/var/lib"), "is not a path under /local/");
  }

  @Override
  protected String folder() {
    return "csv_data";
  }

  @Override
  protected List<Object[]> rows(Path part, List<Field> fields) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    List<List<String>> records = parse(Files.readString(part, StandardCharsets.UTF_8), ';');
    for (List<String> cells : records.subList(1, records.size())) {
      Object[] row = new Object[fields.size()];
      for (int i = 0; i < row.length; i++) {
        Field field = fields.get(i);
        row[i] = Values.fromText(field.type(), field.itemType(), cells.get(i));
      }
      rows.add(row);
    }
    return rows;
  }

  /** RFC 4180, where an unquoted empty cell is null and a quoted one is the empty string. */
  static List<List<String>> parse(String text, char delimiter) {
    List<List<String>> records = new ArrayList<>();
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == delimiter || c == '\n') {
        cells.add(wasQuoted || cell.length() > 0 ? cell.toString() : null);
        cell.setLength(0);
        wasQuoted = false;
        if (c == '\n') {
          records.add(cells);
          cells = new ArrayList<>();
        }
      } else if (c != '\r') {
        cell.append(c);
      }
    }
    return records;
  }
}
