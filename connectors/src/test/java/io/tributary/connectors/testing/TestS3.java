package io.tributary.connectors.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real S3-compatible server for tests: Adobe S3Mock's executable jar (copied into target/s3mock
 * by the build), started once per test JVM as its own process on free ports and stopped when the
 * JVM exits.
 */
public final class TestS3 {

  public static final String BUCKET = "tributary-test";
  private static String endpoint;

  private TestS3() {}

  public static synchronized String endpoint() {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  /**
   * An Airbyte-style S3 destination configuration for the test bucket, writing under {@code path}.
   */
  public static ObjectNode config(String path, String formatType) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config
        .put("access_key_id", "test-key")
        .put("secret_access_key", "test-secret-value")
        .put("s3_bucket_name", BUCKET)
        .put("s3_bucket_path", path)
        .put("s3_bucket_region", "us-east-1")
        .put("s3_endpoint", endpoint());
    config.putObject("format").put("format_type", formatType);
    return config;
  }

  private static String start() {
    // copied by the connectors build; other modules of the reactor (the engine) use that copy
    Path jar = Path.of("target", "s3mock", "s3mock.jar");
    if (!Files.exists(jar)) {
      jar = Path.of("..", "connectors", "target", "s3mock", "s3mock.jar");
    }
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "S3Mock is missing at "
              + jar.toAbsolutePath()
              + "; run the build (process-test-resources)");
    }
    // a port from the ephemeral range can be taken by an outgoing connection before S3Mock binds
    // it: S3Mock then exits, and another pair of ports is tried
    for (int attempt = 1; ; attempt++) {
      String url = tryStart(jar, freePort(), freePort(), attempt == 3);
      if (url != null) {
        return url;
      }
    }
  }

  /** S3Mock's URL once it answers, or null when it exited first (unless {@code last}). */
  private static String tryStart(Path jar, int http, int https, boolean last) {
    try {
      Path root = Files.createTempDirectory("s3mock");
      Process process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-jar",
                  jar.toString(),
                  "--server.port=" + https,
                  "--http.port=" + http,
                  "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                  "--com.adobe.testing.s3mock.store.root=" + root,
                  "--logging.level.root=WARN")
              .redirectErrorStream(true)
              .redirectOutput(root.resolve("s3mock.log").toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      String url = "http://127.0.0.1:" + http;
      HttpClient client = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          var response =
              client.send(
                  HttpRequest.newBuilder(URI.create(url + "/" + BUCKET))
                      .method("HEAD", HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 200) {
            return url;
          }
        } catch (IOException notYet) {
          // still starting
        }
        if (!process.isAlive()) {
          if (!last) {
            return null;
          }
          throw new IllegalStateException("S3Mock exited; see " + root.resolve("s3mock.log"));
        }
        Thread.sleep(250);
      }
      throw new IllegalStateException(
          "S3Mock did not start within 90 s; see " + root.resolve("s3mock.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
