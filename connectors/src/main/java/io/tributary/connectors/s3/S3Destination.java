package io.tributary.connectors.s3;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.Destination;
import io.tributary.connector.FailureType;
import io.tributary.connector.ForwardingStreamWriter;
import io.tributary.connector.StreamWriter;
import io.tributary.connector.WriteTarget;
import io.tributary.connectors.config.Config;
import io.tributary.connectors.config.SpecifiedConnector;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.egress.EgressRefusedException;
import io.tributary.connectors.files.CsvFormat;
import io.tributary.connectors.files.GzipFormat;
import io.tributary.connectors.files.JsonLinesFormat;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.files.ManifestWriter;
import io.tributary.connectors.files.ParquetFormat;
import io.tributary.connectors.files.RecordFormat;
import io.tributary.protocol.ConnectionStatus;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CSV, JSON lines or Parquet objects in any S3-compatible bucket, under {@code
 * <s3_bucket_path>/<namespace>/<stream>/}, published by a manifest object per stream.
 */
public final class S3Destination extends SpecifiedConnector implements Destination {

  private final EgressPolicy egress;

  public S3Destination(EgressPolicy egress) {
    super("destination-s3");
    this.egress = egress;
  }

  @Override
  public ConnectionStatus check(ObjectNode config) {
    String bucket = Config.string(config, "s3_bucket_name", "");
    try (S3Client client = client(config, egress)) {
      client.headBucket(b -> b.bucket(bucket));
      String probe = join(Config.string(config, "s3_bucket_path", ""), "_tributary_check");
      client.putObject(b -> b.bucket(bucket).key(probe), RequestBody.fromString("ok"));
      client.deleteObject(b -> b.bucket(bucket).key(probe));
      return ConnectionStatus.succeeded();
    } catch (RuntimeException e) {
      return ConnectionStatus.failed(translate(e, bucket).getMessage());
    }
  }

  @Override
  public StreamWriter open(ObjectNode config, WriteTarget target) {
    String bucket = Config.required(config, "s3_bucket_name");
    S3Client client = client(config, egress);
    String prefix =
        join(
            join(
                Config.string(config, "s3_bucket_path", ""),
                target.namespace() == null ? "" : LocalRoot.segment(target.namespace())),
            LocalRoot.segment(target.name()));
    try {
      return new Closing(
          new ManifestWriter(
              new S3Prefix(client, bucket, prefix), target, formats(config.path("format"))),
          client);
    } catch (RuntimeException e) {
      client.close();
      throw translate(e, bucket);
    }
  }

  /**
   * A client for the configured bucket that connects only where the egress policy allows; callers
   * close it.
   */
  public static S3Client client(ObjectNode config, EgressPolicy egress) {
    String region = Config.string(config, "s3_bucket_region", "");
    var builder =
        S3Client.builder()
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .dnsResolver(egress.dnsResolver()))
            .region(Region.of(region.isBlank() ? "us-east-1" : region));
    String endpoint = Config.string(config, "s3_endpoint", "");
    if (!endpoint.isBlank()) {
      builder.endpointOverride(endpoint(endpoint)).forcePathStyle(true);
    }
    String accessKey = Config.string(config, "access_key_id", "");
    // without a key, anonymous: the SDK's default chain would sign with the server's own identity
    // (its environment, ~/.aws, the instance or pod role) on a tenant's behalf
    builder.credentialsProvider(
        accessKey.isBlank()
            ? AnonymousCredentialsProvider.create()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    accessKey, Config.string(config, "secret_access_key", ""))));
    return builder.build();
  }

  static Supplier<RecordFormat> formats(JsonNode format) {
    String type = format.path("format_type").asString("JSONL");
    boolean gzip =
        "GZIP".equalsIgnoreCase(format.path("compression").path("compression_type").asString(""));
    return switch (type.toUpperCase()) {
      case "CSV" -> gzip ? () -> new GzipFormat(new CsvFormat(',')) : () -> new CsvFormat(',');
      case "PARQUET" ->
          () -> new ParquetFormat(format.path("compression_codec").asString("SNAPPY"));
      default -> gzip ? () -> new GzipFormat(new JsonLinesFormat()) : JsonLinesFormat::new;
    };
  }

  /**
   * An S3 endpoint as configured: an http(s) URL; anything else would reach the SDK as a confusing
   * failure.
   */
  public static URI endpoint(String endpoint) {
    try {
      URI uri = URI.create(endpoint.strip());
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ConnectorException.config("'" + endpoint + "' is not an http(s) endpoint URL");
  }

  static ConnectorException translate(RuntimeException e, String bucket) {
    if (e instanceof ConnectorException connector) {
      return connector;
    }
    var refused = EgressRefusedException.in(e);
    if (refused.isPresent()) {
      return new ConnectorException(FailureType.CONFIG_ERROR, refused.get().getMessage(), e);
    }
    if (e instanceof S3Exception s3) {
      return switch (s3.statusCode()) {
        case 404 ->
            new ConnectorException(
                FailureType.CONFIG_ERROR, "Bucket '" + bucket + "' does not exist", e);
        case 401, 403 ->
            new ConnectorException(
                FailureType.CONFIG_ERROR,
                "Access denied to bucket '"
                    + bucket
                    + "': check the access key, secret and bucket policy",
                e);
        default ->
            new ConnectorException(
                s3.statusCode() >= 500 ? FailureType.TRANSIENT_ERROR : FailureType.SYSTEM_ERROR,
                "S3: " + s3.awsErrorDetails().errorMessage(),
                e);
      };
    }
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof UnknownHostException) {
      return new ConnectorException(
          FailureType.CONFIG_ERROR,
          "Unknown host for the S3 endpoint: check s3_endpoint and the region",
          e);
    }
    if (e instanceof SdkClientException) {
      return new ConnectorException(
          FailureType.TRANSIENT_ERROR, "Could not reach S3: " + e.getMessage(), e);
    }
    return new ConnectorException(FailureType.SYSTEM_ERROR, "S3: " + e.getMessage(), e);
  }

  private static String join(String prefix, String name) {
    String trimmed = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    if (name.isEmpty()) {
      return trimmed;
    }
    return trimmed.isEmpty() ? name : trimmed + "/" + name;
  }

  /** Closes the S3 client with the writer. */
  private static final class Closing extends ForwardingStreamWriter {
    private final S3Client client;

    Closing(ManifestWriter writer, S3Client client) {
      super(writer);
      this.client = client;
    }

    @Override
    public void close() {
      try {
        super.close();
      } finally {
        client.close();
      }
    }
  }
}
