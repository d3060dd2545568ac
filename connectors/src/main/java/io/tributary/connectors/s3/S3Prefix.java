package io.tributary.connectors.s3;

import io.tributary.connectors.files.PartStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Parts as objects under a key prefix. A part is written to a local temporary file and uploaded
 * when promoted, so an object exists only once it is complete; a PUT replaces an object atomically,
 * which makes the manifest the commit point here as on a local disk. What S3 answers with an error
 * (after the SDK's own retries) is a {@link io.tributary.connector.ConnectorException} of its kind,
 * as at open: one that may pass, a 5xx or an unreachable endpoint, is transient, so the job tries
 * again from the last commit.
 */
final class S3Prefix implements PartStore {

  private final S3Client client;
  private final String bucket;
  private final String prefix;
  private final Map<String, Path> temporaries = new HashMap<>();

  S3Prefix(S3Client client, String bucket, String prefix) {
    this.client = client;
    this.bucket = bucket;
    this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  String key(String name) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public OutputStream newTemporary(String name) throws IOException {
    Path file = Files.createTempFile("tributary-part-", ".tmp");
    temporaries.put(name, file);
    return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
  }

  @Override
  public void promote(String temporary, String part) throws IOException {
    Path file = temporaries.remove(temporary);
    try {
      call(
          () -> client.putObject(b -> b.bucket(bucket).key(key(part)), RequestBody.fromFile(file)));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public void discard(String temporary) throws IOException {
    Path file = temporaries.remove(temporary);
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public void adopt(PartStore from, String part) {
    S3Prefix source = (S3Prefix) from;
    call(
        () ->
            client.copyObject(
                b ->
                    b.sourceBucket(source.bucket)
                        .sourceKey(source.key(part))
                        .destinationBucket(bucket)
                        .destinationKey(key(part))));
    call(() -> client.deleteObject(b -> b.bucket(source.bucket).key(source.key(part))));
  }

  @Override
  public List<String> list() {
    List<String> names = new ArrayList<>();
    String start = prefix.isEmpty() ? "" : prefix + "/";
    return call(
        () -> {
          for (var page :
              client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(start).delimiter("/"))) {
            for (S3Object object : page.contents()) {
              names.add(object.key().substring(start.length()));
            }
          }
          return names;
        });
  }

  @Override
  public byte[] read(String name) {
    return call(
        () -> {
          try {
            return client.getObjectAsBytes(b -> b.bucket(bucket).key(key(name))).asByteArray();
          } catch (NoSuchKeyException e) {
            return null;
          }
        });
  }

  @Override
  public void writeAtomically(String name, byte[] content) {
    call(
        () ->
            client.putObject(b -> b.bucket(bucket).key(key(name)), RequestBody.fromBytes(content)));
  }

  @Override
  public void delete(String name) {
    call(() -> client.deleteObject(b -> b.bucket(bucket).key(key(name))));
  }

  @Override
  public PartStore child(String name) {
    return new S3Prefix(client, bucket, key(name));
  }

  @Override
  public void deleteChild(String name) {
    // A prefix is not an object: it disappears with its last object.
  }

  private <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw S3Destination.translate(e, bucket);
    }
  }
}
