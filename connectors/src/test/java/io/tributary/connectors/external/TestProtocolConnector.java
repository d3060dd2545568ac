package io.tributary.connectors.external;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny connector speaking the Airbyte protocol on stdio, built by the test suite: a source of
 * numbered records (stream {@code numbers}) and a destination appending what it receives to {@code
 * output} as JSON lines.
 */
public final class TestProtocolConnector {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    String verb = args[0];
    JsonNode config = file(args, "--config");
    if (config != null && config.path("hang").asBoolean(false)) {
      Thread.sleep(600_000);
    }
    switch (verb) {
      case "spec" ->
          OUT.println(
              """
          {"type":"SPEC","spec":{"connectionSpecification":{"type":"object","properties":{"count":{"type":"integer"}}}}}""");
      case "check" ->
          OUT.println(
              config.has("api_key")
                  ? "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\",\"message\":"
                      + "\"401 Client Error: Unauthorized for url: https://api.example.com/v1?api_key="
                      + config.path("api_key").asString()
                      + "\"}}"
                  : config.path("fail").asBoolean(false)
                      ? "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\",\"message\":\"count must be positive\"}}"
                      : "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}");
      case "discover" ->
          OUT.println(
              """
          {"type":"CATALOG","catalog":{"streams":[{"name":"numbers","json_schema":{"type":"object","properties":{
          "id":{"type":"integer"},"label":{"type":["null","string"]}}},"supported_sync_modes":["full_refresh","incremental"],
          "source_defined_cursor":true,"default_cursor_field":["id"],"source_defined_primary_key":[["id"]]}]}}"""
                  .replace("\n", ""));
      case "read" -> read(config, file(args, "--state"));
      case "write" -> write(config);
      default -> throw new IllegalArgumentException(verb);
    }
  }

  private static void read(JsonNode config, JsonNode state) {
    System.err.println("starting read");
    OUT.println("not json: a line the runtime logs");
    OUT.println("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"reading numbers\"}}");
    if (config.path("multiline_log").asBoolean(false)) {
      // a second line that would read as the runtime's own
      OUT.println(
          "{\"type\":\"LOG\",\"log\":{\"level\":\"WARN\",\"message\":"
              + "\"retrying\\r\\n[engine] INFO sync succeeded\"}}");
    }
    boolean global = config.path("global").asBoolean(false);
    long from =
        state == null || state.isEmpty()
            ? 0
            : global
                ? state.get(0).path("global").path("shared_state").path("lsn").asLong()
                : state.get(0).path("stream").path("stream_state").path("cursor").asLong();
    long count = config.path("count").asLong(25);
    OUT.println(
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ESTIMATE\",\"emitted_at\":0,\"estimate\":"
            + "{\"name\":\"numbers\",\"type\":\"STREAM\",\"row_estimate\":"
            + (count - from)
            + "}}}");
    for (long id = from + 1; id <= count; id++) {
      OUT.println(
          "{\"type\":\"RECORD\",\"record\":{\"stream\":\"numbers\",\"data\":{\"id\":"
              + id
              + ",\"label\":\"n"
              + id
              + "\"},\"emitted_at\":0}}");
      if (global && (id % 10 == 0 || id == count)) {
        // a CDC-style connector: one state for all streams, its position shared
        OUT.println(
            "{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":"
                + id
                + "},\"stream_states\":[{\"stream_descriptor\":{\"name\":\"numbers\"},\"stream_state\":{}}]}}}");
      } else if (id % 10 == 0 || id == count) {
        OUT.println(
            "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"numbers\"},"
                + "\"stream_state\":{\"cursor\":"
                + id
                + "}}}}");
      }
    }
    if (config.path("crash_at_end").asBoolean(false)) {
      // dies the way a Python connector does: a traceback on stderr, no TRACE message, and the
      // secret in it
      OUT.println(
          "{\"type\":\"LOG\",\"log\":{\"level\":\"ERROR\",\"message\":\"login as "
              + config.path("api_token").asString()
              + " refused\"}}");
      System.err.println("Traceback (most recent call last):");
      System.err.println("  File \"source.py\", line 42, in read_records");
      System.err.println(
          "    session.get(url, headers={'Authorization': '"
              + config.path("api_token").asString()
              + "'})");
      System.err.println(
          "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://api.example.com/numbers");
      System.exit(1);
    }
    if (config.path("die_at_end").asBoolean(false)) {
      System.err.println(
          "Segmentation fault in the " + config.path("api_token").asString() + " parser");
      System.exit(139);
    }
    if (config.path("fail_at_end").asBoolean(false)) {
      OUT.println(
          "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":0,\"error\":{\"message\":\"quota exhausted\","
              + "\"failure_type\":\"transient_error\"}}}");
      System.exit(1);
    }
  }

  private static void write(JsonNode config) throws Exception {
    Path output = Path.of(config.get("output").asString());
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      StringBuilder pending = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode message = JSON.readTree(line);
        if (message.path("type").asString().equals("RECORD")) {
          pending.append(JSON.writeValueAsString(message.get("record").get("data"))).append('\n');
        } else if (message.path("type").asString().equals("STATE")) {
          Files.writeString(output, pending, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          pending.setLength(0);
          OUT.println(line);
        }
      }
    }
  }

  private static JsonNode file(String[] args, String flag) throws Exception {
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].equals(flag)) {
        return JSON.readTree(Files.readString(Path.of(args[i + 1])));
      }
    }
    return null;
  }
}
