package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.source.ConfigChanges.Conflict;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ConfigChangesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ObjectNode json(String text) {
    return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
  }

  private static final ObjectNode BEFORE =
      json("{'host': 'a', 'auth': {'token': 't1', 'refresh': 'r1'}, 'old': 1}");

  /** Meanwhile: the token rotated, the host was edited, and the edit dropped {@code old}. */
  private static final ObjectNode NOW =
      json("{'host': 'b', 'auth': {'token': 't2', 'refresh': 'r1'}}");

  @Test
  void aChangeOfItsOwnWinsWhereBothChangedAField() {
    ObjectNode current = NOW.deepCopy();
    ConfigChanges.apply(
        current,
        BEFORE,
        json("{'host': 'c', 'auth': {'token': 't1', 'refresh': 'r9'}, 'old': 1, 'new': true}"),
        Conflict.CHANGE_WINS);
    assertThat(current)
        .isEqualTo(json("{'host': 'c', 'auth': {'token': 't2', 'refresh': 'r9'}, 'new': true}"));
  }

  @Test
  void theCurrentValueWinsWhereBothChangedAField() {
    ObjectNode current = NOW.deepCopy();
    ConfigChanges.apply(
        current,
        BEFORE,
        json("{'host': 'c', 'auth': {'token': 't3', 'refresh': 'r9'}, 'new': true}"),
        Conflict.CURRENT_WINS);
    assertThat(current)
        .as("the edit's host and token stay; the untouched refresh token and the new field apply")
        .isEqualTo(json("{'host': 'b', 'auth': {'token': 't2', 'refresh': 'r9'}, 'new': true}"));
  }

  @Test
  void aFieldTheChangeRemovesGoesUnlessItWasChangedMeanwhileAndTheCurrentValueWins() {
    ObjectNode before = json("{'a': 1, 'b': 2}");
    ObjectNode after = json("{}");
    ObjectNode kept = json("{'a': 1, 'b': 3}");
    ConfigChanges.apply(kept, before, after, Conflict.CURRENT_WINS);
    assertThat(kept).isEqualTo(json("{'b': 3}"));
    ObjectNode dropped = json("{'a': 1, 'b': 3}");
    ConfigChanges.apply(dropped, before, after, Conflict.CHANGE_WINS);
    assertThat(dropped).isEqualTo(json("{}"));
  }
}
