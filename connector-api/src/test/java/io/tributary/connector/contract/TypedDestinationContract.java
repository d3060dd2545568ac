package io.tributary.connector.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connector.WriteTarget;
import io.tributary.protocol.DestinationSyncMode;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of destinations that keep typed columns (databases, not files): what {@link
 * WriteTarget#retype} means.
 */
public abstract class TypedDestinationContract extends DestinationContract {

  @Test
  void aFieldRetypedAtTheSourceFollowsInTheDestination() {
    String namespace = "contract_" + UUID.randomUUID().toString().substring(0, 8);
    String stateKey = "contract/" + UUID.randomUUID();
    WriteTarget before =
        new WriteTarget(
            namespace,
            "retyped",
            List.of(new Field("id", FieldType.INTEGER), new Field("code", FieldType.INTEGER)),
            DestinationSyncMode.APPEND,
            List.of(),
            List.of(),
            stateKey);
    write(before, List.of(List.<Object[]>of(new Object[] {1L, 7L})), true);
    WriteTarget after =
        new WriteTarget(
            namespace,
            "retyped",
            List.of(new Field("id", FieldType.INTEGER), new Field("code", FieldType.STRING)),
            DestinationSyncMode.APPEND,
            List.of(),
            List.of(),
            stateKey,
            List.of("code"));
    write(after, List.of(List.<Object[]>of(new Object[] {2L, "X-9"})), true);
    List<Object[]> rows = readBack(validConfig(), after);
    assertThat(rows.stream().map(r -> r[1]).toList()).containsExactlyInAnyOrder("7", "X-9");
  }
}
