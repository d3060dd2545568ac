package io.tributary.connectors.file;

import io.tributary.connector.ConnectorException;
import io.tributary.connector.FailureType;
import io.tributary.connectors.Egress;
import io.tributary.connectors.files.LocalRoot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;

/**
 * Brings the configured file to a local path: a file under the local root as it is, an HTTP(S) or S3 object
 * downloaded to a temporary file the caller deletes.
 */
final class FileFetcher {

  private final LocalRoot root;

  FileFetcher(LocalRoot root) {
    this.root = root;
  }

  /** @return the local file and whether it is a temporary copy */
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
    int slash = url.lastIndexOf('/');
    Path directory = root.resolve(slash <= 0 ? "/local" : url.substring(0, slash));
    Path file = directory.resolve(url.substring(slash + 1)).normalize();
    if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
      throw ConnectorException.config("File '" + url + "' not found under the local root");
    }
    return file;
  }

  private static Path http(String url, JsonNode provider) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw ConnectorException.config("'" + url + "' is not a URL");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw ConnectorException.config("'" + url + "' is not an http(s) URL");
    }
    // redirects are followed here, so that every hop passes the egress check
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    try {
      HttpResponse<InputStream> response = null;
      for (int hop = 0; response == null; hop++) {
        Egress.check(uri);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30));
        if (provider.path("user_agent").asBoolean(false)) {
          request.header("User-Agent", "Tributary");
        }
        HttpResponse<InputStream> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        var location = answer.headers().firstValue("Location");
        if (answer.statusCode() / 100 == 3 && location.isPresent()) {
          answer.body().close();
          if (hop == 5) {
            throw ConnectorException.config("Could not download '" + url + "': too many redirects");
          }
          uri = uri.resolve(location.get());
          if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw ConnectorException.config("Could not download '" + url + "': it redirects to a non-http(s) URL");
          }
        } else {
          response = answer;
        }
      }
      try (InputStream body = response.body()) {
        if (response.statusCode() >= 400) {
          throw new ConnectorException(response.statusCode() >= 500 ? FailureType.TRANSIENT_ERROR : FailureType.CONFIG_ERROR,
              "Could not download '" + url + "': HTTP " + response.statusCode());
        }
        Path file = Files.createTempFile("tributary-file-", ".download");
        Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
      }
    } catch (IOException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof UnknownHostException || cause instanceof java.nio.channels.UnresolvedAddressException) {
          throw ConnectorException.config("Unknown host '" + uri.getHost() + "'");
        }
      }
      throw ConnectorException.transientError("Could not download '" + url + "': " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ConnectorException.transientError("Interrupted while downloading '" + url + "'", e);
    }
  }

  private static Path s3(String url, JsonNode provider) {
    URI uri = URI.create(url);
    if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPath().length() <= 1) {
      throw ConnectorException.config("'" + url + "' is not an s3://bucket/key URL");
    }
    String bucket = uri.getHost();
    String key = uri.getPath().substring(1);
    String accessKey = provider.path("aws_access_key_id").asString("");
    var builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)))
        .region(Region.of(provider.path("region").asString("").isBlank() ? "us-east-1" : provider.path("region").asString()))
        .credentialsProvider(accessKey.isBlank() ? AnonymousCredentialsProvider.create()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, provider.path("aws_secret_access_key").asString(""))));
    String endpoint = provider.path("endpoint").asString("");
    if (!endpoint.isBlank()) {
      Egress.check(URI.create(endpoint));
      builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
    }
    try (S3Client client = builder.build()) {
      Path file = Files.createTempFile("tributary-file-", ".download");
      Files.delete(file);
      client.getObject(b -> b.bucket(bucket).key(key), file);
      return file;
    } catch (S3Exception e) {
      throw ConnectorException.config(e.statusCode() == 404 ? "'" + url + "' does not exist"
          : "Could not read '" + url + "': " + e.awsErrorDetails().errorMessage());
    } catch (IOException e) {
      throw ConnectorException.transientError("Could not read '" + url + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw ConnectorException.transientError("Could not read '" + url + "': " + e.getMessage(), e);
    }
  }
}
