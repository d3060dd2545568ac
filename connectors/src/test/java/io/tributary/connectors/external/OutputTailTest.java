package io.tributary.connectors.external;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class OutputTailTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aSecretIsHiddenHoweverTheConnectorWritesIt() {
    String key = "Ab+c/d== q\"u'o\\te";
    ObjectNode config = JSON.createObjectNode().put("api_key", key).put("host", "db.example");
    OutputTail tail = OutputTail.forConfig(config, Set.of());

    for (String line :
        new String[] {
          "401 for url: https://api.example/v1?api_key=Ab%2Bc%2Fd%3D%3D+q%22u%27o%5Cte",
          "401 for url: https://api.example/v1?api_key=Ab%2Bc%2Fd%3D%3D%20q%22u%27o%5Cte",
          "{\"api_key\": \"Ab+c/d== q\\\"u'o\\\\te\"}",
          "ValueError: bad key 'Ab+c/d== q\"u\\'o\\\\te'",
          "plain: " + key
        }) {
      assertThat(tail.add(line)).as(line).doesNotContain("Ab+c").doesNotContain("Ab%2B");
    }
    assertThat(tail.add("connecting to db.example")).isEqualTo("connecting to db.example");
  }
}
