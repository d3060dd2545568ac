package io.tributary.connectors.external;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last lines a connector process printed (stderr, lines on stdout that are not protocol
 * messages, its error logs), with every secret of its configuration replaced, so a failure can say
 * in the connector's own words why it failed and the job log can show what led to it.
 */
final class OutputTail {

  static final int LINES = 40;
  private static final int WIDTH = 1_000;
  private static final String MASK = "**********";
  private static final JsonMapper JSON_STRING = JsonMapper.builder().build();

  /**
   * Configuration keys that hold secrets whatever the spec says, as Airbyte's own scrubbing
   * assumes.
   */
  private static final Pattern SECRET_KEY =
      Pattern.compile(
          ".*(password|passwd|secret|token|api_?key|private_?key|credentials?|passphrase|session).*");

  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private volatile List<String> secrets;
  private String lastError;
  private String lastStderr;

  private OutputTail(List<String> secrets) {
    this.secrets = secrets;
  }

  /**
   * @param config the configuration the process was given, or null
   * @param secretKeys field names the connector's spec marks {@code airbyte_secret}
   */
  static OutputTail forConfig(JsonNode config, Set<String> secretKeys) {
    return new OutputTail(secretValues(config, secretKeys, List.of()));
  }

  /** Also hides the secrets of a configuration the connector was given later (one it rotated). */
  synchronized void addSecrets(JsonNode config, Set<String> secretKeys) {
    secrets = secretValues(config, secretKeys, secrets);
  }

  private static List<String> secretValues(
      JsonNode config, Set<String> secretKeys, List<String> known) {
    Set<String> values = new HashSet<>(known);
    collect(config, false, secretKeys, values);
    // longest first, so a secret containing another is replaced whole
    return values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /**
   * Names of the fields a connector spec marks {@code airbyte_secret}, wherever they sit in its
   * schema.
   */
  static Set<String> secretKeys(JsonNode schema) {
    Set<String> keys = new HashSet<>();
    secretKeys(schema, keys);
    return keys;
  }

  private static void secretKeys(JsonNode node, Set<String> into) {
    if (node == null || !node.isContainer()) {
      return;
    }
    if (node.isObject()) {
      for (var property : node.path("properties").properties()) {
        if (property.getValue().path("airbyte_secret").asBoolean(false)) {
          into.add(property.getKey());
        }
      }
    }
    node.forEach(child -> secretKeys(child, into));
  }

  private static void collect(
      JsonNode node, boolean secret, Set<String> secretKeys, Set<String> into) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      for (var entry : node.properties()) {
        String key = entry.getKey();
        boolean secretField =
            secret
                || secretKeys.contains(key)
                || SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
        collect(entry.getValue(), secretField, secretKeys, into);
      }
    } else if (node.isArray()) {
      node.forEach(item -> collect(item, secret, secretKeys, into));
    } else if (secret && node.isValueNode() && !node.isNull()) {
      String value = node.asString("");
      // one- to three-character values would blank out ordinary words
      if (value.length() >= 4) {
        into.addAll(writtenForms(value));
      }
    }
  }

  /**
   * A secret as a connector may print it: as is, in a URL (a query parameter, a connection string),
   * inside a JSON string, or in a Python repr.
   */
  static Set<String> writtenForms(String value) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(value);
    String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
    forms.add(url);
    forms.add(url.replace("+", "%20"));
    String json = JSON_STRING.writeValueAsString(value);
    forms.add(json.substring(1, json.length() - 1));
    forms.add(value.replace("\\", "\\\\").replace("'", "\\'"));
    return forms;
  }

  String scrub(String text) {
    String scrubbed = text;
    for (String secret : secrets) {
      scrubbed = scrubbed.replace(secret, MASK);
    }
    return scrubbed;
  }

  /** Keeps a line; returns it scrubbed, for the log. */
  synchronized String add(String line) {
    String scrubbed = scrub(line.length() > WIDTH * 4 ? line.substring(0, WIDTH * 4) : line);
    if (scrubbed.length() > WIDTH) {
      scrubbed = scrubbed.substring(0, WIDTH) + "…";
    }
    if (lines.size() == LINES) {
      lines.removeFirst();
    }
    lines.addLast(scrubbed);
    return scrubbed;
  }

  /**
   * A line of the connector's stderr, where a dying process says why; returns it scrubbed, for the
   * log.
   */
  synchronized String addStderr(String line) {
    String scrubbed = add(line);
    if (!scrubbed.isBlank()) {
      lastStderr = scrubbed.strip();
    }
    return scrubbed;
  }

  /**
   * An error the connector logged (LOG at ERROR or FATAL): the likeliest reason when it then dies.
   */
  synchronized String addError(String message) {
    String scrubbed = add("ERROR " + message);
    lastError = scrub(message);
    return scrubbed;
  }

  synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  /**
   * The connector's own reason for failing: its last error log, else its last line on stderr (a
   * Python traceback ends with the exception), else its last non-blank line, else null. Stdout and
   * stderr are read by different threads, so only the order within one stream says what came last.
   */
  synchronized String reason() {
    if (lastError != null && !lastError.isBlank()) {
      return cap(lastError);
    }
    if (lastStderr != null) {
      return cap(lastStderr);
    }
    var last = lines.descendingIterator();
    while (last.hasNext()) {
      String line = last.next().strip();
      if (!line.isEmpty()) {
        return cap(line);
      }
    }
    return null;
  }

  private static String cap(String line) {
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }
}
