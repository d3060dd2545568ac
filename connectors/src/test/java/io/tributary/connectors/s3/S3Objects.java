package io.tributary.connectors.s3;

import io.tributary.connectors.files.JsonLinesFormat;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.protocol.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a reader of the bucket sees of a JSON-lines stream: the rows of its committed parts only.
 */
public final class S3Objects {

  private S3Objects() {}

  public static List<Object[]> committedRows(
      ObjectNode config, String namespace, String stream, List<Field> fields) {
    try (var client = S3Destination.client(config, TestEgress.LOCAL)) {
      S3Prefix prefix =
          new S3Prefix(
              client,
              config.get("s3_bucket_name").asString(),
              config.get("s3_bucket_path").asString()
                  + "/"
                  + LocalRoot.segment(namespace)
                  + "/"
                  + LocalRoot.segment(stream));
      List<Object[]> rows = new ArrayList<>();
      for (String part : ManifestWriter.committedParts(prefix)) {
        for (String line : new String(prefix.read(part), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            rows.add(JsonLinesFormat.read(line, fields));
          }
        }
      }
      return rows;
    }
  }
}
