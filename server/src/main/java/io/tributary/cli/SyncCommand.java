package io.tributary.cli;

import io.tributary.job.JobStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tributary sync <connection-id> --follow}: starts a sync through the API, as an operator's
 * backend would, and shows its progress per stream until it ends. When the connection is already
 * syncing it follows that job instead.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = "Start a connection's sync through the API and follow it.")
public class SyncCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The connection id")
  String connectionId;

  @Option(
      names = "--follow",
      description = "Show live progress until the job ends (exit 1 unless it succeeds)")
  boolean follow;

  @Option(
      names = "--url",
      description = "The server (env TRIBUTARY_URL, default http://localhost:8080)")
  String url = System.getenv().getOrDefault("TRIBUTARY_URL", "http://localhost:8080");

  @Option(
      names = "--client-id",
      description = "An application's client id (env TRIBUTARY_CLIENT_ID)")
  String clientId = System.getenv("TRIBUTARY_CLIENT_ID");

  @Option(
      names = "--client-secret",
      description = "Its secret (env TRIBUTARY_CLIENT_SECRET; prefer the environment)")
  String clientSecret = System.getenv("TRIBUTARY_CLIENT_SECRET");

  @Option(names = "--interval", description = "Seconds between progress lines (default 1)")
  double interval = 1;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (clientId == null || clientSecret == null) {
      err.println(
          "Set TRIBUTARY_CLIENT_ID and TRIBUTARY_CLIENT_SECRET (tributary admin application create --env prints them)");
      return 2;
    }
    Response token =
        send(
            "POST",
            "/api/v1/account/applications/token",
            null,
            json.writeValueAsString(Map.of("client_id", clientId, "client_secret", clientSecret)));
    if (token.status() != 200) {
      err.println("Token exchange failed (" + token.status() + "): " + token.detail());
      return 1;
    }
    String bearer = token.body().get("access_token").asString();
    Response started = send("POST", "/api/v1/connections/" + connectionId + "/sync", bearer, null);
    JsonNode job;
    if (started.status() == 202) {
      job = started.body();
      out.println("Started job " + job.get("id").asString());
    } else if (started.status() == 409 && started.detail().contains("already")) {
      Response running =
          send("GET", "/api/v1/jobs?connection_id=" + connectionId + "&limit=1", bearer, null);
      job = running.body().get("data").get(0);
      out.println(
          "Following job "
              + job.get("id").asString()
              + ", already "
              + job.get("status").asString());
    } else {
      err.println("Could not start the sync (" + started.status() + "): " + started.detail());
      return 1;
    }
    out.flush();
    if (!follow) {
      return 0;
    }
    return follow(job.get("id").asString(), bearer, out);
  }

  private int follow(String jobId, String bearer, PrintWriter out)
      throws IOException, InterruptedException {
    Map<String, long[]> previous = new HashMap<>();
    long previousAt = System.nanoTime();
    while (true) {
      Response response = send("GET", "/api/v1/jobs/" + jobId, bearer, null);
      if (response.status() != 200) {
        out.println("Cannot read the job (" + response.status() + "): " + response.detail());
        return 1;
      }
      JsonNode job = response.body();
      long now = System.nanoTime();
      double seconds = Math.max(1e-3, (now - previousAt) / 1e9);
      StringBuilder line = new StringBuilder(job.get("status").asString());
      JsonNode streams = job.get("streams");
      if (streams != null && streams.isObject()) {
        for (Map.Entry<String, JsonNode> stream : streams.properties()) {
          long records = stream.getValue().path("records_emitted").asLong();
          long bytes = stream.getValue().path("bytes_emitted").asLong();
          long committed = stream.getValue().path("records_committed").asLong();
          long[] before = previous.getOrDefault(stream.getKey(), new long[2]);
          line.append(
              String.format(
                  Locale.ROOT,
                  "  %s: %,d read, %,d committed, %s, %,.0f rec/s",
                  stream.getKey(),
                  records,
                  committed,
                  human(bytes),
                  Math.max(0, records - before[0]) / seconds));
          previous.put(stream.getKey(), new long[] {records, bytes});
        }
      }
      previousAt = now;
      out.println(line);
      out.flush();
      JobStatus status = JobStatus.of(job.get("status").asString()).orElseThrow();
      if (status.finished()) {
        if (status != JobStatus.SUCCEEDED) {
          JsonNode reason = job.get("failure_reason");
          out.println(
              "Job "
                  + status.value()
                  + (reason == null || reason.isNull() ? "" : ": " + reason.asString()));
        }
        out.flush();
        return status == JobStatus.SUCCEEDED ? 0 : 1;
      }
      Thread.sleep((long) (interval * 1000));
    }
  }

  private record Response(int status, JsonNode body) {
    String detail() {
      JsonNode detail = body == null ? null : body.get("detail");
      return detail == null
          ? String.valueOf(body)
          : detail.isString() ? detail.asString() : detail.toString();
    }
  }

  private Response send(String method, String path, String bearer, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode parsed = response.body().isBlank() ? null : json.readTree(response.body());
    return new Response(response.statusCode(), parsed);
  }

  private static String human(long bytes) {
    return bytes < 1024 * 1024
        ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
