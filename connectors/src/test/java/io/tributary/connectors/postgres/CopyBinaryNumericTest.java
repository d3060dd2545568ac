package io.tributary.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.connectors.testing.TestPostgres;
import io.tributary.protocol.Field;
import io.tributary.protocol.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import tools.jackson.databind.node.ObjectNode;

/**
 * Numerics written as binary COPY digit groups read back from PostgreSQL as the very decimals sent:
 * doubles of every magnitude, and decimals on both sides of the encoder's long fast path (up to 19
 * digits) and its BigInteger path.
 */
class CopyBinaryNumericTest {

  @Test
  void everyNumericReadsBackAsTheDecimalItWas() throws Exception {
    Random random = new Random(17);
    List<Object> values = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (double d :
        new double[] {
          0.0,
          -0.0,
          1.0,
          -1.5,
          0.1,
          0.2 + 0.1,
          1e-7,
          1.234e-20,
          9.87e20,
          1e22,
          123456789.123456789,
          Double.MIN_NORMAL,
          4.9e-324,
          Double.MAX_VALUE,
          -Double.MAX_VALUE,
          1.7976931348623157e15
        }) {
      values.add(d);
      expected.add(BigDecimal.valueOf(d).toPlainString());
    }
    for (int i = 0; i < 3_000; i++) {
      double d = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
      values.add(d);
      expected.add(BigDecimal.valueOf(d).toPlainString());
    }
    for (int i = 0; i < 3_000; i++) {
      // 1 to 30 digits, so about a third take the BigInteger path
      BigInteger unscaled = new BigInteger(1 + random.nextInt(100), random);
      BigDecimal decimal =
          new BigDecimal(
              random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(25) - 4);
      values.add(decimal);
      expected.add(
          decimal.scale() < 0 ? decimal.setScale(0).toPlainString() : decimal.toPlainString());
    }
    for (BigDecimal edge :
        new BigDecimal[] {
          new BigDecimal(BigInteger.valueOf(Long.MAX_VALUE), 3),
          new BigDecimal(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), 7),
          new BigDecimal(BigInteger.valueOf(Long.MAX_VALUE), 0),
          new BigDecimal("99999999999999999.999"),
          new BigDecimal("0.0001"),
          new BigDecimal("10000"),
          new BigDecimal("-0.00000")
        }) {
      values.add(edge);
      expected.add(edge.toPlainString());
    }

    ObjectNode config = TestPostgres.newDatabase();
    TestPostgres.execute(config, "create table numbers (id bigint primary key, v numeric)");
    CopyBinary encoder =
        new CopyBinary(
            List.of(new Field("id", FieldType.INTEGER), new Field("v", FieldType.NUMBER)));
    try (Connection connection = TestPostgres.connect(config)) {
      CopyIn copy =
          connection
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("copy numbers (id, v) from stdin" + encoder.options());
      encoder.begin();
      for (int i = 0; i < values.size(); i++) {
        encoder.append(new Object[] {(long) i, values.get(i)});
      }
      encoder.end();
      encoder.drain((bytes, length) -> copy.writeToCopy(bytes, 0, length));
      copy.endCopy();

      List<String> read = new ArrayList<>();
      try (ResultSet rows =
          connection.createStatement().executeQuery("select v::text from numbers order by id")) {
        while (rows.next()) {
          read.add(rows.getString(1));
        }
      }
      for (int i = 0; i < values.size(); i++) {
        assertThat(read.get(i)).as("value %s: %s", i, values.get(i)).isEqualTo(expected.get(i));
      }
    }
  }
}
