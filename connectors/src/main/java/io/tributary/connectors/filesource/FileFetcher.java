package io.tributary.connectors.filesource;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.egress.EgressPolicy;
import io.tributary.connectors.egress.EgressRefusedException;
import io.tributary.connectors.files.LocalRoot;
import io.tributary.connectors.s3.S3Destination;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;

/**
 * Brings the configured file to a local path: a file in the organization's local directory as it
 * is, an HTTP(S) or S3 object downloaded to a temporary file the caller deletes. Downloads connect
 * only where the egress policy allows, checked on the very addresses the client connects to, and
 * stop before they leave the temporary directory's disk with less than a reserve free: a URL an end
 * user typed may name a file of any size, and the disk also holds the server's own data.
 */
final class FileFetcher {

  /** What a download leaves free on the temporary directory's disk, by default. */
  static final long DISK_RESERVE = 1L << 30;

  /** How much a download writes between two looks at the free space. */
  private static final long CHECK_EVERY = 16L << 20;

  private final LocalRoot root;
  private final EgressPolicy egress;
  private final long diskReserve;

  FileFetcher(LocalRoot root, EgressPolicy egress, long diskReserve) {
    this.root = root;
    this.egress = egress;
    this.diskReserve = diskReserve;
  }

  /**
   * @return the local file and whether it is a temporary copy
   */
  Fetched fetch(String url, JsonNode provider) {
    String storage = provider.path("storage").asString("HTTPS");
    return switch (storage) {
      case "local" -> new Fetched(local(url), false);
      case "S3" -> new Fetched(s3(url, provider), true);
      default -> new Fetched(http(url, provider), true);
    };
  }

  record Fetched(Path path, boolean temporary) implements AutoCloseable {
    @Override
    public void close() {
      if (temporary) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // a temporary file
        }
      }
    }
  }

  private Path local(String url) {
    return root.existingFile(url);
  }

  private Path http(String url, JsonNode provider) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw ConnectorException.config("'" + shown(url) + "' is not a URL");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null) {
      throw ConnectorException.config("'" + shown(url) + "' is not an http(s) URL");
    }
    // Redirects are followed here rather than by the client, so that each hop is an http(s) URL we
    // chose to open.
    var connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(egress.dnsResolver())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.ofSeconds(10))
                    .setSocketTimeout(Timeout.ofMinutes(5))
                    .build())
            .build();
    try (CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(connections)
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .setDefaultRequestConfig(
                RequestConfig.custom().setResponseTimeout(Timeout.ofMinutes(30)).build())
            .build()) {
      for (int hop = 0; ; hop++) {
        HttpGet request = new HttpGet(uri);
        if (provider.path("user_agent").asBoolean(false)) {
          request.setHeader("User-Agent", "Tributary");
        }
        URI current = uri;
        Answer answer =
            client.execute(
                request,
                response -> {
                  Header location = response.getFirstHeader("Location");
                  return response.getCode() / 100 == 3 && location != null
                      ? new Answer(current.resolve(location.getValue()), null)
                      : new Answer(null, save(url, response));
                });
        if (answer.file() != null) {
          return answer.file();
        }
        URI next = answer.redirect();
        if (hop == 5) {
          throw ConnectorException.config(
              "Could not download '" + shown(url) + "': too many redirects");
        }
        if (!"http".equalsIgnoreCase(next.getScheme())
                && !"https".equalsIgnoreCase(next.getScheme())
            || next.getHost() == null) {
          throw ConnectorException.config(
              "Could not download '" + shown(url) + "': it redirects to a non-http(s) URL");
        }
        uri = next;
      }
    } catch (IOException | UncheckedIOException e) {
      var refused = EgressRefusedException.in(e);
      if (refused.isPresent()) {
        throw ConnectorException.config(refused.get().getMessage());
      }
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof UnknownHostException) {
          throw ConnectorException.config("Unknown host '" + uri.getHost() + "'");
        }
      }
      throw ConnectorException.transientError(
          "Could not download '"
              + shown(url)
              + "': "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
  }

  /**
   * The URL as messages show it: without user information and query, where a URL carries
   * credentials (a presigned URL's signature, {@code user:password@}); messages reach job logs,
   * events and webhooks.
   */
  static String shown(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getScheme() == null || uri.getRawAuthority() == null) {
        return url.startsWith("/") || !url.contains("@") && !url.contains("?") ? url : "(the URL)";
      }
      return uri.getScheme()
          + "://"
          + (uri.getHost() == null ? "…" : uri.getHost())
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?…");
    } catch (IllegalArgumentException e) {
      return "(the URL)";
    }
  }

  /** A hop of a download: where it redirects to, or the file its body was saved to. */
  private record Answer(URI redirect, Path file) {}

  /** The body of a final answer, into a temporary file the caller deletes. */
  private Path save(String url, ClassicHttpResponse response) throws IOException {
    if (response.getCode() >= 400) {
      throw new ConnectorException(
          response.getCode() >= 500 ? FailureType.TRANSIENT_ERROR : FailureType.CONFIG_ERROR,
          "Could not download '" + shown(url) + "': HTTP " + response.getCode());
    }
    try (InputStream body =
        response.getEntity() == null
            ? InputStream.nullInputStream()
            : response.getEntity().getContent()) {
      return download(
          url, body, response.getEntity() == null ? 0 : response.getEntity().getContentLength());
    }
  }

  /**
   * Copies a body into a new temporary file, refusing it (and deleting what was written) once the
   * disk would keep less than the reserve: at once when the announced length says so, else as the
   * free space shrinks.
   *
   * @param length the announced length, negative when unknown
   */
  private Path download(String url, InputStream body, long length) throws IOException {
    Path file = Files.createTempFile("tributary-file-", ".download");
    try {
      FileStore disk = Files.getFileStore(file);
      if (disk.getUsableSpace() - Math.max(0, length) < diskReserve) {
        throw tooLarge(url);
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        long checked = 0;
        for (int n; (n = body.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          written += n;
          if (written - checked >= CHECK_EVERY) {
            checked = written;
            if (disk.getUsableSpace() < diskReserve) {
              throw tooLarge(url);
            }
          }
        }
      }
      return file;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private ConnectorException tooLarge(String url) {
    return ConnectorException.transientError(
        "Could not download '"
            + shown(url)
            + "': the server's temporary disk would keep less than "
            + diskReserve / (1 << 20)
            + " MiB free",
        null);
  }

  private Path s3(String url, JsonNode provider) {
    URI uri = URI.create(url);
    if (!"s3".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null
        || uri.getPath().length() <= 1) {
      throw ConnectorException.config("'" + shown(url) + "' is not an s3://bucket/key URL");
    }
    String bucket = uri.getHost();
    String key = uri.getPath().substring(1);
    String accessKey = provider.path("aws_access_key_id").asString("");
    var builder =
        S3Client.builder()
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .dnsResolver(egress.dnsResolver()))
            .region(
                Region.of(
                    provider.path("region").asString("").isBlank()
                        ? "us-east-1"
                        : provider.path("region").asString()))
            .credentialsProvider(
                accessKey.isBlank()
                    ? AnonymousCredentialsProvider.create()
                    : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            accessKey, provider.path("aws_secret_access_key").asString(""))));
    String endpoint = provider.path("endpoint").asString("");
    if (!endpoint.isBlank()) {
      builder.endpointOverride(S3Destination.endpoint(endpoint)).forcePathStyle(true);
    }
    try (S3Client client = builder.build();
        var body = client.getObject(b -> b.bucket(bucket).key(key))) {
      Long length = body.response().contentLength();
      return download(url, body, length == null ? -1 : length);
    } catch (S3Exception e) {
      throw ConnectorException.config(
          e.statusCode() == 404
              ? "'" + shown(url) + "' does not exist"
              : "Could not read '" + shown(url) + "': " + e.awsErrorDetails().errorMessage());
    } catch (IOException e) {
      throw ConnectorException.transientError(
          "Could not read '" + shown(url) + "': " + e.getMessage(), e);
    } catch (ConnectorException e) {
      throw e;
    } catch (RuntimeException e) {
      var refused = EgressRefusedException.in(e);
      if (refused.isPresent()) {
        throw ConnectorException.config(refused.get().getMessage());
      }
      throw ConnectorException.transientError(
          "Could not read '" + shown(url) + "': " + e.getMessage(), e);
    }
  }
}
