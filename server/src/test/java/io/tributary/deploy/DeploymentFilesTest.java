package io.tributary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.tributary.cli.ServeCommand;
import io.tributary.cli.WorkerCommand;
import io.tributary.job.JobWorker;
import io.tributary.settings.TributaryProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The deployment files (Dockerfile, docker-compose.yml, the Helm chart) against the application's
 * real settings: the environment variables they set are ones the code reads (derived from the code,
 * not a list kept here), the ports and probe paths are the ones the server and worker open, the
 * roles run the right command, secrets come from Secrets, nothing runs as root. The chart is linted
 * and rendered by helm, which {@code .ci/run} installs; without helm this test fails.
 */
class DeploymentFilesTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final Path ROOT = repositoryRoot();
  private static final Path CHART = ROOT.resolve("deploy/helm/tributary");

  /** Every TRIBUTARY_* variable the application or its launchers read. */
  private static Set<String> knownVariables;

  private static String apiHealthPath;
  private static String workerHealthPath;
  private static String apiLivePath;
  private static String workerLivePath;

  @BeforeAll
  static void readTheApplication() throws Exception {
    knownVariables = knownVariables();
    GetMapping mapping =
        Class.forName("io.tributary.health.HealthController")
            .getDeclaredMethod("health")
            .getAnnotation(GetMapping.class);
    apiHealthPath = mapping.value()[0];
    Matcher worker =
        Pattern.compile("createContext\\(\\s*\"(/health)\"")
            .matcher(
                read(
                    ROOT.resolve("server/src/main/java/io/tributary/health/WorkerEndpoints.java")));
    assertThat(worker.find()).as("the worker's health context in WorkerEndpoints").isTrue();
    workerHealthPath = worker.group(1);
    // liveness answers without the database, so an outage restarts no pod
    apiLivePath =
        (String) Class.forName("io.tributary.health.HealthController").getField("LIVE").get(null);
    Matcher workerLive =
        Pattern.compile("\"(/health/live)\"")
            .matcher(
                read(
                    ROOT.resolve("server/src/main/java/io/tributary/health/WorkerEndpoints.java")));
    assertThat(workerLive.find()).as("the worker's liveness context in WorkerEndpoints").isTrue();
    workerLivePath = workerLive.group(1);
  }

  // --- Helm

  @Test
  void theChartLintsWithDefaultsAndWithIngressAndAutoscaling() {
    assertThat(helm("lint", "--strict", CHART.toString())).contains("0 chart(s) failed");
    assertThat(helm(withAll("lint", "--strict", CHART.toString()))).contains("0 chart(s) failed");
  }

  @Test
  void theDefaultRenderingRunsAnApiOnlyServeAndWorkers() {
    Map<String, JsonNode> manifests = render();
    assertThat(manifests)
        .containsOnlyKeys(
            "Deployment/t-tributary-api", "Deployment/t-tributary-worker", "Service/t-tributary");

    JsonNode api = container(manifests.get("Deployment/t-tributary-api"));
    assertThat(strings(api.path("args"))).containsExactly(commandName(ServeCommand.class));
    StandardEnvironment apiEnv = environmentOf(api);
    assertThat(apiEnv.getProperty("tributary.worker.enabled")).isEqualTo("false");
    assertThat(apiEnv.getProperty("server.address")).isEqualTo("0.0.0.0");
    // without the ingress, nothing in front sets X-Forwarded-For: a client's own is never believed,
    // even though Spring Boot, seeing Kubernetes, would
    assertThat(apiEnv.getProperty("server.forward-headers-strategy")).isEqualTo("none");
    int apiPort = Integer.parseInt(apiEnv.getProperty("server.port"));
    assertThat(bind(apiEnv).port()).isEqualTo(apiPort);
    assertThat(portNamed(api, "http")).isEqualTo(apiPort);
    assertMetricsPort(api, apiEnv);
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(api.path(probe).path("httpGet").path("path").asString())
          .isEqualTo(probe.equals("livenessProbe") ? apiLivePath : apiHealthPath);
      assertThat(api.path(probe).path("httpGet").path("port").asString()).isEqualTo("http");
    }

    JsonNode worker = container(manifests.get("Deployment/t-tributary-worker"));
    assertThat(strings(worker.path("args"))).containsExactly(commandName(WorkerCommand.class));
    StandardEnvironment workerEnv = environmentOf(worker);
    assertMetricsPort(worker, workerEnv);
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(worker.path(probe).path("httpGet").path("path").asString())
          .isEqualTo(probe.equals("livenessProbe") ? workerLivePath : workerHealthPath);
      assertThat(worker.path(probe).path("httpGet").path("port").asString()).isEqualTo("metrics");
    }

    JsonNode service = manifests.get("Service/t-tributary");
    assertThat(service.path("spec").path("ports").get(0).path("targetPort").asString())
        .isEqualTo("http");
    assertThat(service.path("spec").path("selector").path("app.kubernetes.io/component").asString())
        .isEqualTo("api");
  }

  @Test
  void everyPodSharesTheDatabaseAndMasterKeyFromASecretAndRunsAsNonRoot() {
    Map<String, JsonNode> manifests = render("--set", "ingress.enabled=true");
    for (String name : List.of("Deployment/t-tributary-api", "Deployment/t-tributary-worker")) {
      JsonNode pod = manifests.get(name).path("spec").path("template").path("spec");
      assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
      assertThat(pod.path("securityContext").path("runAsUser").asInt()).as(name).isPositive();
      JsonNode container = container(manifests.get(name));
      assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true))
          .isFalse();
      Map<String, JsonNode> env = env(container);
      assertThat(knownVariables)
          .as(name + ": variables the application reads")
          .containsAll(env.keySet());
      for (String secret : List.of("TRIBUTARY_DATABASE_URL", "TRIBUTARY_MASTER_KEY")) {
        assertThat(env.get(secret).path("valueFrom").path("secretKeyRef").path("name").asString())
            .as(name + " " + secret)
            .isEqualTo("tributary");
        assertThat(env.get(secret).has("value")).isFalse();
      }
      // the first application's secret comes from the Secret too, never from the pod's log
      assertThat(
              env.get("TRIBUTARY_BOOTSTRAP_CLIENT_SECRET")
                  .path("valueFrom")
                  .path("secretKeyRef")
                  .path("key")
                  .asString())
          .as(name)
          .isEqualTo("bootstrap-client-secret");
      // every node, worker included, names the same public URL: the token issuer
      assertThat(env.get("TRIBUTARY_PUBLIC_URL").path("value").asString())
          .isEqualTo("https://tributary.example.com");
      // the resources match the measured footprint (docs/benchmarks.md): ~512 MiB
      assertThat(container.path("resources").path("requests").path("memory").asString())
          .isEqualTo("512Mi");
    }
    // behind the ingress controller, client addresses come from its X-Forwarded-For
    assertThat(
            environmentOf(container(manifests.get("Deployment/t-tributary-api")))
                .getProperty("server.forward-headers-strategy"))
        .isEqualTo("native");
    JsonNode ingress = manifests.get("Ingress/t-tributary");
    JsonNode backend =
        ingress.path("spec").path("rules").get(0).path("http").path("paths").get(0).path("backend");
    assertThat(backend.path("service").path("name").asString()).isEqualTo("t-tributary");
    assertThat(backend.path("service").path("port").path("name").asString()).isEqualTo("http");
  }

  @Test
  void theWorkersScaleOnTheQueueDepthTheyReport() {
    Map<String, JsonNode> manifests = render("--set", "worker.autoscaling.enabled=true");
    JsonNode hpa = manifests.get("HorizontalPodAutoscaler/t-tributary-worker");
    assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asString())
        .isEqualTo("t-tributary-worker");
    JsonNode metric = hpa.path("spec").path("metrics").get(0);
    assertThat(metric.path("type").asString()).isEqualTo("External");
    assertThat(metric.path("external").path("metric").path("name").asString())
        .isEqualTo(new PrometheusNamingConvention().name(JobWorker.QUEUED_GAUGE, Meter.Type.GAUGE));
    // the autoscaler owns the worker count
    assertThat(manifests.get("Deployment/t-tributary-worker").path("spec").has("replicas"))
        .isFalse();
    // Prometheus finds the gauge where the worker serves it
    JsonNode worker = manifests.get("Deployment/t-tributary-worker");
    JsonNode annotations =
        worker.path("spec").path("template").path("metadata").path("annotations");
    assertThat(annotations.path("prometheus.io/path").asString()).isEqualTo("/metrics");
    assertThat(annotations.path("prometheus.io/port").asString())
        .isEqualTo(environmentOf(container(worker)).getProperty("management.server.port"));
  }

  // --- docker compose

  @Test
  void composeRunsAnApiNodeAndWorkersOnItsPostgres() {
    // SnakeYAML: it resolves the file's anchors and merge keys (<<) as docker compose does
    Object compose = new Yaml().load(read(ROOT.resolve("docker-compose.yml")));
    JsonNode services = YAML.valueToTree(compose).path("services");
    JsonNode api = services.path("api");
    JsonNode worker = services.path("worker");
    assertThat(strings(api.path("command"))).containsExactly(commandName(ServeCommand.class));
    assertThat(strings(worker.path("command"))).containsExactly(commandName(WorkerCommand.class));

    StandardEnvironment apiEnv = environmentOf(composeEnv(api));
    assertThat(apiEnv.getProperty("tributary.worker.enabled")).isEqualTo("false");
    assertThat(apiEnv.getProperty("server.address")).isEqualTo("0.0.0.0");
    String apiPort = apiEnv.getProperty("server.port");
    assertThat(strings(api.path("ports")).get(0)).endsWith(":" + apiPort);
    assertThat(String.join(" ", strings(api.path("healthcheck").path("test"))))
        .contains("http://127.0.0.1:" + apiPort + apiHealthPath + "'");

    StandardEnvironment workerEnv = environmentOf(composeEnv(worker));
    assertThat(workerEnv.getProperty("management.server.address")).isEqualTo("0.0.0.0");
    assertThat(String.join(" ", strings(worker.path("healthcheck").path("test"))))
        .contains(
            "http://127.0.0.1:"
                + workerEnv.getProperty("management.server.port")
                + workerHealthPath
                + "'");

    for (JsonNode node : List.of(api, worker)) {
      Map<String, String> env = composeEnv(node);
      assertThat(knownVariables).containsAll(env.keySet());
      // the password and key come from .env, never from this file
      assertThat(env.get("TRIBUTARY_DATABASE_URL")).contains("${POSTGRES_PASSWORD:?");
      assertThat(env.get("TRIBUTARY_DATABASE_URL")).contains("@postgres:5432/");
      assertThat(env.get("TRIBUTARY_MASTER_KEY")).startsWith("${TRIBUTARY_MASTER_KEY:?");
    }
    assertThat(strings(services.path("postgres").path("environment").path("POSTGRES_PASSWORD")))
        .containsExactly("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}");
  }

  // --- Dockerfile

  @Test
  void theImageRunsTheServerAsAnUnprivilegedUserWithItsHealthCheck() {
    List<String> instructions = dockerInstructions(read(ROOT.resolve("Dockerfile")));
    List<String> stages = instructions.stream().filter(i -> i.startsWith("FROM ")).toList();
    assertThat(stages).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
    // the runtime stage: Python 3.11 (connectors' venvs) and a Temurin JRE >= 21
    assertThat(stages.getLast()).startsWith("FROM python:3.11");
    assertThat(instructions).anyMatch(i -> i.matches("COPY --from=eclipse-temurin:2[1-9]-jre .*"));

    List<String> runtime =
        instructions.subList(instructions.indexOf(stages.getLast()), instructions.size());
    Map<String, String> env = new LinkedHashMap<>();
    Pattern assignment = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");
    for (String instruction : runtime) {
      if (instruction.startsWith("ENV ")) {
        Matcher m = assignment.matcher(instruction.substring(4));
        while (m.find()) {
          env.put(m.group(1), m.group(2).replace("\"", ""));
        }
      }
    }
    Map<String, String> tributaryEnv = new HashMap<>(env);
    tributaryEnv.keySet().removeIf(name -> !name.startsWith("TRIBUTARY_"));
    assertThat(knownVariables).containsAll(tributaryEnv.keySet());
    StandardEnvironment appEnv = environmentOf(tributaryEnv);

    String user = last(runtime, "USER ").substring(5).split(":")[0];
    assertThat(user).isNotIn("root", "0");
    assertThat(last(runtime, "EXPOSE ").substring(7).split(" "))
        .containsExactlyInAnyOrder(
            appEnv.getProperty("server.port"), appEnv.getProperty("management.server.port"));
    assertThat(appEnv.getProperty("server.address")).isEqualTo("0.0.0.0");
    assertThat(last(runtime, "HEALTHCHECK ")).contains(apiHealthPath);
    assertThat(last(runtime, "VOLUME "))
        .contains("\"" + appEnv.getProperty("tributary.data-dir") + "\"");
    assertThat(last(runtime, "CMD "))
        .isEqualTo("CMD [\"" + commandName(ServeCommand.class) + "\"]");
  }

  // --- the application's settings

  /**
   * The variables the application reads: {@link TributaryProperties}' components, every {@code
   * ${tributary.…}} placeholder and {@code tributary.…} condition in the server's sources and
   * application.properties (Spring's relaxed binding: {@code tributary.worker.enabled} is {@code
   * TRIBUTARY_WORKER_ENABLED}), the variables read with {@code System.getenv}, and the launchers'.
   */
  private static Set<String> knownVariables() throws IOException {
    Set<String> names = new TreeSet<>();
    for (RecordComponent component : TributaryProperties.class.getRecordComponents()) {
      names.add("TRIBUTARY_" + component.getName().replaceAll("([A-Z])", "_$1").toUpperCase());
    }
    Pattern property = Pattern.compile("(?:\\$\\{|name = \")tributary\\.([a-z0-9.-]+)");
    Pattern getenv =
        Pattern.compile(
            "getenv\\(\\)\\.getOrDefault\\(\"(TRIBUTARY_\\w+)\"|getenv\\(\"(TRIBUTARY_\\w+)\"\\)");
    List<Path> sources;
    try (Stream<Path> files = Files.walk(ROOT.resolve("server/src/main"))) {
      sources =
          files
              .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".properties"))
              .toList();
    }
    for (Path source : sources) {
      String text = read(source);
      Matcher m = property.matcher(text);
      while (m.find()) {
        names.add("TRIBUTARY_" + m.group(1).replace('.', '_').replace('-', '_').toUpperCase());
      }
      Matcher e = getenv.matcher(text);
      while (e.find()) {
        names.add(e.group(1) != null ? e.group(1) : e.group(2));
      }
    }
    Matcher launcher =
        Pattern.compile("\\$\\{(TRIBUTARY_\\w+)").matcher(read(ROOT.resolve("tributary")));
    while (launcher.find()) {
      names.add(launcher.group(1));
    }
    // Spring Boot's own settings (SERVER_FORWARD_HEADERS_STRATEGY behind a proxy), from its
    // metadata
    Pattern metadataName = Pattern.compile("\"name\"\\s*:\\s*\"([a-z0-9.-]+)\"");
    var resources =
        DeploymentFilesTest.class
            .getClassLoader()
            .getResources("META-INF/spring-configuration-metadata.json");
    while (resources.hasMoreElements()) {
      try (var in = resources.nextElement().openStream()) {
        Matcher m = metadataName.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (m.find()) {
          String name = m.group(1);
          if (name.startsWith("server.")
              || name.startsWith("spring.")
              || name.startsWith("management.")) {
            names.add(name.replace('.', '_').replace('-', '_').toUpperCase());
          }
        }
      }
    }
    // the settings this test relies on are among them (the derivation above still finds them)
    assertThat(names)
        .contains(
            "TRIBUTARY_DATABASE_URL",
            "TRIBUTARY_MASTER_KEY",
            "TRIBUTARY_WORKER_ENABLED",
            "TRIBUTARY_METRICS_ADDRESS",
            "TRIBUTARY_JAVA_OPTS",
            "SERVER_FORWARD_HEADERS_STRATEGY");
    return names;
  }

  /**
   * The Spring environment a container's variables make: its variables as the process environment
   * (secrets as stand-ins), under the server's application.properties, as Spring Boot layers them.
   */
  private static StandardEnvironment environmentOf(Map<String, String> variables) {
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    sources.replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource("container", new HashMap<>(variables)));
    try {
      sources.addLast(new ResourcePropertySource(new ClassPathResource("application.properties")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return environment;
  }

  private static StandardEnvironment environmentOf(JsonNode container) {
    Map<String, String> variables = new HashMap<>();
    env(container)
        .forEach(
            (name, entry) ->
                variables.put(
                    name, entry.has("value") ? entry.path("value").asString() : "from-secret"));
    return environmentOf(variables);
  }

  private static TributaryProperties bind(StandardEnvironment environment) {
    return new Binder(ConfigurationPropertySources.get(environment))
        .bindOrCreate("tributary", Bindable.of(TributaryProperties.class));
  }

  private static void assertMetricsPort(JsonNode container, StandardEnvironment environment) {
    // the worker's /health and every node's /metrics: reachable from the kubelet and Prometheus
    assertThat(environment.getProperty("management.server.address")).isEqualTo("0.0.0.0");
    assertThat(environment.getProperty("tributary.metrics-address")).isEqualTo("0.0.0.0");
    assertThat(portNamed(container, "metrics"))
        .isEqualTo(Integer.parseInt(environment.getProperty("management.server.port")))
        .isEqualTo(Integer.parseInt(environment.getProperty("tributary.metrics-port")));
  }

  private static String commandName(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  // --- helm and its manifests

  private static String[] withAll(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of("--set", "ingress.enabled=true", "--set", "worker.autoscaling.enabled=true"));
    return all.toArray(String[]::new);
  }

  /** {@code helm template t <chart>}: each manifest by kind/name. */
  private static Map<String, JsonNode> render(String... settings) {
    List<String> args = new ArrayList<>(List.of("template", "t", CHART.toString()));
    args.addAll(List.of(settings));
    Map<String, JsonNode> manifests = new LinkedHashMap<>();
    List<JsonNode> docs =
        YAML.readerFor(JsonNode.class)
            .<JsonNode>readValues(helm(args.toArray(String[]::new)))
            .readAll();
    for (JsonNode doc : docs) {
      if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
        continue;
      }
      manifests.put(
          doc.path("kind").asString() + "/" + doc.path("metadata").path("name").asString(), doc);
    }
    return manifests;
  }

  private static JsonNode container(JsonNode deployment) {
    JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
    assertThat(containers.size()).isEqualTo(1);
    return containers.get(0);
  }

  private static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    for (JsonNode entry : container.path("env")) {
      assertThat(env.put(entry.path("name").asString(), entry)).as("set twice").isNull();
    }
    return env;
  }

  private static int portNamed(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (name.equals(port.path("name").asString())) {
        return port.path("containerPort").asInt();
      }
    }
    return fail("no port named " + name);
  }

  private static Map<String, String> composeEnv(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    service
        .path("environment")
        .properties()
        .forEach(e -> env.put(e.getKey(), e.getValue().asString()));
    return env;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(value -> values.add(value.asString()));
    } else if (!node.isMissingNode()) {
      values.add(node.asString());
    }
    return values;
  }

  /**
   * helm from {@code TRIBUTARY_HELM}, else where {@code .ci/run} installs it; its output, or a
   * failure with its message.
   */
  private static String helm(String... args) {
    String configured = System.getenv("TRIBUTARY_HELM");
    Path helm =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".local/tributary-tools/helm");
    if (!Files.isExecutable(helm)) {
      fail(
          "helm not found at "
              + helm
              + ": .ci/run installs it (GOBIN=$HOME/.local/tributary-tools go install helm.sh/helm/v3/cmd/helm@v3.22.0)");
    }
    List<String> command = new ArrayList<>(List.of(helm.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("helm " + String.join(" ", args) + " did not finish in 60 s");
      }
      if (process.exitValue() != 0) {
        fail("helm " + String.join(" ", args) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- files

  /**
   * The Dockerfile's instructions, one string each: continuation lines joined, comments and heredoc
   * bodies (the image's launcher script) left out.
   */
  private static List<String> dockerInstructions(String dockerfile) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String heredocEnd = null;
    for (String line : dockerfile.split("\n")) {
      if (heredocEnd != null) {
        if (line.equals(heredocEnd)) {
          heredocEnd = null;
        }
        continue;
      }
      if (current.isEmpty() && (line.isBlank() || line.stripLeading().startsWith("#"))) {
        continue;
      }
      Matcher heredoc = Pattern.compile("<<-?'?(\\w+)'?").matcher(line);
      if (heredoc.find()) {
        heredocEnd = heredoc.group(1);
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      instructions.add(current.toString().replaceAll("\\s+", " ").strip());
      current.setLength(0);
    }
    return instructions;
  }

  private static String last(List<String> instructions, String prefix) {
    return instructions.stream()
        .filter(i -> i.startsWith(prefix))
        .reduce((first, second) -> second)
        .orElseGet(() -> fail("no " + prefix.strip() + " instruction"));
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/helm/tributary/Chart.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "Not inside the repository: no deploy/helm/tributary above "
              + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
