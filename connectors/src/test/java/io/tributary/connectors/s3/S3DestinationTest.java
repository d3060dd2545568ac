package io.tributary.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.FailureType;
import io.tributary.connector.WriteTarget;
import io.tributary.connector.contract.DestinationContract;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.connectors.testing.TestEgress;
import io.tributary.connectors.testing.TestS3;
import io.tributary.protocol.DestinationSyncMode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Against S3Mock, a real S3-compatible server running as its own process. */
class S3DestinationTest extends DestinationContract {

  @Override
  protected Destination destination() {
    return new S3Destination(TestEgress.LOCAL);
  }

  @Override
  protected ObjectNode validConfig() {
    return TestS3.config("contract", "JSONL");
  }

  @Override
  protected Map<ObjectNode, String> brokenConfigs() {
    return Map.of(
        TestS3.config("x", "JSONL").put("s3_bucket_name", "no-such-bucket"),
        "does not exist",
        TestS3.config("x", "JSONL").put("s3_endpoint", "http://no-such-host.invalid:9000"),
        "unknown host");
  }

  @Override
  protected List<DestinationSyncMode> modes() {
    return List.of(DestinationSyncMode.APPEND, DestinationSyncMode.OVERWRITE);
  }

  @Override
  protected List<Object[]> readBack(ObjectNode config, WriteTarget target) {
    return S3Objects.committedRows(config, target.namespace(), target.name(), target.fields());
  }

  @Test
  void aConfigurationWithoutKeysWritesAnonymouslyNeverAsTheServer() {
    // what the SDK's default chain would find first: the server's own identity
    System.setProperty("aws.accessKeyId", "AKIASERVEROWNKEY");
    System.setProperty("aws.secretAccessKey", "server-own-secret");
    try {
      ObjectNode config = TestS3.config("anonymous", "JSONL");
      config.remove("access_key_id");
      config.remove("secret_access_key");
      assertThat(destination().check(config).ok()).as("S3Mock accepts anonymous writes").isTrue();
      try (var client = S3Destination.client(config, TestEgress.LOCAL)) {
        var identity =
            client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
        assertThat(identity.accessKeyId()).isNull();
        assertThat(identity.secretAccessKey()).isNull();
      }
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void objectsAreListedOnlyOnceCommitted() {
    WriteTarget target = target(DestinationSyncMode.APPEND);
    try (var writer = destination().open(validConfig(), target);
        var client = S3Destination.client(validConfig(), TestEgress.LOCAL)) {
      writer.write(batch(List.<Object[]>of(nulls(1))));
      S3Prefix prefix =
          new S3Prefix(
              client,
              TestS3.BUCKET,
              "contract/"
                  + LocalRoot.segment(target.namespace())
                  + "/"
                  + LocalRoot.segment(target.name()));
      assertThat(prefix.list()).isEmpty();
      writer.commit(null);
      assertThat(prefix.list()).hasSize(2).contains(ManifestWriter.MANIFEST);
    }
  }

  @Test
  void aBucketRemovedDuringASyncFailsTheCommitWithTheReasonNotAnSdkError() {
    String bucket = "removed-" + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode config = TestS3.config("removed", "JSONL").put("s3_bucket_name", bucket);
    try (var client = S3Destination.client(config, TestEgress.LOCAL)) {
      client.createBucket(b -> b.bucket(bucket));
      try (var writer = destination().open(config, target(DestinationSyncMode.APPEND))) {
        writer.write(batch(List.<Object[]>of(nulls(1))));
        client.deleteBucket(b -> b.bucket(bucket));

        assertThatThrownBy(() -> writer.commit(null))
            .isInstanceOfSatisfying(
                ConnectorException.class,
                e -> {
                  assertThat(e.failureType()).isEqualTo(FailureType.CONFIG_ERROR);
                  assertThat(e.getMessage()).isEqualTo("Bucket '" + bucket + "' does not exist");
                });
      }
    }
  }
}
