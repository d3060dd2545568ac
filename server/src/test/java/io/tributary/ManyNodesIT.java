package io.tributary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.testing.ApiTest;
import io.tributary.testing.Fixtures;
import io.tributary.testing.FreePort;
import io.tributary.testing.Http;
import io.tributary.testing.NodeProcess;
import io.tributary.testing.SourceDatabase;
import io.tributary.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many nodes, as SPEC §18 deploys them: nginx (Debian's package) in front of two API-only nodes
 * ({@code serve --no-worker}), two {@code worker} processes, one PostgreSQL database of their own,
 * every node configured by environment. Tokens and the rate limit are shared through the database;
 * SIGKILL of an API node under a stream of requests costs at most the requests in flight on it;
 * SIGKILL of the worker running a 2M-row incremental sync leaves the other to finish it exactly,
 * and to go on running an every-minute schedule.
 */
class ManyNodesIT {

  static final int ROWS = 2_000_000;
  static final int CLIENTS = 8;
  static final String NGINX = "/usr/sbin/nginx";

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final ExecutorService background = Executors.newCachedThreadPool();

  private Process nginx;

  /** Where each process writes, for the message when one exits instead of answering. */
  private final Map<Process, Path> logs = new HashMap<>();

  @AfterEach
  void stop() throws InterruptedException {
    // SIGTERM: nginx's master then stops its workers; SIGKILL would leave them listening, orphaned
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(30, TimeUnit.SECONDS);
    }
    processes.forEach(Process::destroyForcibly);
    for (Process process : processes) {
      process.waitFor(30, TimeUnit.SECONDS);
    }
    background.shutdownNow();
  }

  @Test
  @Timeout(value = 9, unit = TimeUnit.MINUTES)
  void twoApiNodesAndTwoWorkersBehindNginxShareEverythingThroughPostgresAndSurviveSigkill()
      throws Exception {
    assertThat(Path.of(NGINX))
        .as(
            "nginx is needed as the load balancer: .ci/run installs it (apt-get install nginx-light)")
        .isExecutable();
    // the 2M rows are written while the nodes start
    SourceDatabase source = SourceDatabase.create();
    CompletableFuture<Void> rows =
        CompletableFuture.runAsync(
            () ->
                source.execute(
                    """
                    create table events (id bigint primary key, kind text, amount numeric(12,2), payload text);
                    insert into events select n, 'k' || (n %% 7), n * 0.25, md5(n::text)
                      from generate_series(1, %d) n;"""
                        .formatted(ROWS)),
            background);
    SourceDatabase warehouse = SourceDatabase.create();
    String database = TestDatabase.create();

    int lbPort = FreePort.belowEphemeralRange();
    int[] apiPorts = {FreePort.belowEphemeralRange(), FreePort.belowEphemeralRange()};
    int[] workerMetrics = {FreePort.belowEphemeralRange(), FreePort.belowEphemeralRange()};
    Process[] api = new Process[2];
    Process[] workers = new Process[2];
    for (int i = 0; i < 2; i++) {
      // an operator's configuration: the environment; the public URL is the load balancer's, which
      // tokens name as their issuer
      api[i] =
          node(
              "api-" + (i + 1),
              database,
              Map.of(
                  "TRIBUTARY_PUBLIC_URL",
                  "http://127.0.0.1:" + lbPort,
                  "TRIBUTARY_PORT",
                  Integer.toString(apiPorts[i])),
              List.of(),
              "serve",
              "--no-worker");
      workers[i] =
          node(
              "worker-" + (i + 1),
              database,
              Map.of(
                  "TRIBUTARY_METRICS_PORT",
                  Integer.toString(workerMetrics[i]),
                  "TRIBUTARY_WORKER_CONCURRENCY",
                  "2"),
              // the metrics port of the test settings (0) would win over the environment
              List.of(
                  "tributary.metrics-port=" + workerMetrics[i],
                  "tributary.worker.commit-records=100000"),
              "worker");
    }
    Http node1 = new Http(apiPorts[0]);
    Http node2 = new Http(apiPorts[1]);
    for (int i = 0; i < 2; i++) {
      awaitOk("API node " + (i + 1), api[i], "http://127.0.0.1:" + apiPorts[i] + "/api/v1/health");
      awaitOk("worker " + (i + 1), workers[i], "http://127.0.0.1:" + workerMetrics[i] + "/health");
      assertThat(get("http://127.0.0.1:" + apiPorts[i] + "/api/v1/health/live").statusCode())
          .isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + workerMetrics[i] + "/health/live").statusCode())
          .isEqualTo(200);
    }
    Process balancer = nginx(lbPort, apiPorts);
    Http lb = new Http(lbPort);
    awaitOk("nginx", balancer, "http://127.0.0.1:" + lbPort + "/api/v1/health");

    // tokens minted through node 1 work on node 2
    Fixtures viaNode1 = new Fixtures(node1);
    var tenant = viaNode1.tenant();
    String scoped = viaNode1.scopedToken(tenant, "many nodes", ApiTest.US_REGION);
    assertThat(node2.get("/api/v1/workspaces", tenant.operatorToken()).status()).isEqualTo(200);
    assertThat(node2.get("/api/v1/embedded/sources", scoped).status()).isEqualTo(200);

    rateLimitCountsAcrossBothNodes(viaNode1, node1, node2);
    killAnApiNodeUnderAStreamOfRequests(lb, scoped, api[1]);

    // the rest goes through the load balancer, to the surviving API node
    Fixtures fixtures = new Fixtures(lb);
    rows.get(3, TimeUnit.MINUTES);
    String sourceTemplate = fixtures.postgresTemplate(tenant, source);
    fixtures.warehouseTemplate(tenant, warehouse, Map.of());
    var created = fixtures.embeddedSource(scoped, sourceTemplate, source.userConfig("unused"));
    String sourceId = created.json().get("id").asString();
    String connection = created.json().get("connection_ids").get(0).asString();
    fixtures.selectStream(scoped, sourceId, Fixtures.dedupedStream("events", "id"));

    UUID scheduled = everyMinuteConnection(fixtures, lb);
    String job = fixtures.startSync(tenant.operatorToken(), connection);
    await("part of the 2M rows committed")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.recordsCommitted(tenant.operatorToken(), job, "events") > 0);
    String runner = workerPid(database, job);
    Process killed = Long.toString(workers[0].pid()).equals(runner) ? workers[0] : workers[1];
    Process survivor = killed == workers[0] ? workers[1] : workers[0];
    assertThat(Long.toString(killed.pid())).as("the sync runs on a worker").isEqualTo(runner);
    killed.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    killed.waitFor(30, TimeUnit.SECONDS);
    Instant killedAt = Instant.now();
    long committedAtKill = fixtures.recordsCommitted(tenant.operatorToken(), job, "events");
    assertThat(fixtures.jobStatus(tenant.operatorToken(), job)).isEqualTo("running");

    var finished = fixtures.awaitFinished(tenant.operatorToken(), job, Duration.ofMinutes(4));
    assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("succeeded");
    assertThat(finished.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(workerPid(database, job)).isEqualTo(Long.toString(survivor.pid()));
    System.out.printf(
        "ManyNodesIT: worker killed with %d of %d rows committed; the other finished the sync %d s"
            + " later (attempts %d)%n",
        committedAtKill,
        ROWS,
        Duration.between(killedAt, Instant.now()).toSeconds(),
        finished.get("attempts").asInt());
    String digest =
        "select count(*), count(distinct id), md5(string_agg(id || kind || amount || payload, ',' order by id)) from ";
    List<String> expected = source.row(digest + "events");
    assertThat(expected.get(0)).isEqualTo(Integer.toString(ROWS));
    assertThat(expected.get(1)).isEqualTo(Integer.toString(ROWS));
    assertThat(warehouse.row(digest + "\"many nodes\".events"))
        .as("count, distinct keys, checksum")
        .isEqualTo(expected);

    await("two scheduled runs with one worker gone")
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> runsSince(database, scheduled, killedAt).size() >= 2);
    List<List<String>> runs = runsSince(database, scheduled, killedAt).subList(0, 2);
    assertThat(runs).extracting(r -> r.get(1)).containsOnly("succeeded");
    assertThat(runs).extracting(r -> r.get(2)).containsOnly(Long.toString(survivor.pid()));
    assertThat(runs.stream().map(r -> r.get(0)).distinct()).as("one run a minute").hasSize(2);

    Set<String> ranOn =
        Set.copyOf(
            TestDatabase.column(
                database,
                "select distinct split_part(worker, '/', 2) from jobs where worker is not null"));
    assertThat(ranOn)
        .as("syncs run on the workers only, never on an API-only node")
        .isSubsetOf(Set.of(Long.toString(workers[0].pid()), Long.toString(workers[1].pid())));
  }

  /**
   * A small organization limit, counted by requests that alternate between the two nodes: the nodes
   * count into one window, the remaining count falls by one per request whichever node answers, and
   * both refuse once it is spent.
   */
  private static void rateLimitCountsAcrossBothNodes(Fixtures fixtures, Http node1, Http node2) {
    int limit = 20;
    var tenant = fixtures.tenant();
    var patched =
        node1.patch(
            "/api/v1/admin/organizations/" + tenant.organizationId(),
            Fixtures.ADMIN_KEY,
            Map.of("rate_limit_per_hour", limit));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    Http[] nodes = {node1, node2};
    List<Integer> remaining = new ArrayList<>();
    int allowed = 0;
    int i = 0;
    while (true) {
      var response = nodes[i++ % 2].get("/api/v1/workspaces", tenant.operatorToken());
      if (response.status() == 429) {
        break;
      }
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      assertThat(response.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(limit));
      remaining.add(Integer.parseInt(response.header("X-RateLimit-Remaining")));
      allowed++;
      assertThat(allowed).as("refused at the shared limit").isLessThanOrEqualTo(limit);
    }
    assertThat(allowed).as("requests answered on both nodes").isGreaterThanOrEqualTo(2);
    for (int k = 1; k < remaining.size(); k++) {
      assertThat(remaining.get(k)).as("one window for both nodes").isEqualTo(remaining.get(0) - k);
    }
    assertThat(remaining.getLast()).isZero();
    assertThat(node1.get("/api/v1/workspaces", tenant.operatorToken()).status()).isEqualTo(429);
    assertThat(node2.get("/api/v1/workspaces", tenant.operatorToken()).status()).isEqualTo(429);
  }

  record Answer(Instant started, int status, String upstream) {}

  /**
   * {@value #CLIENTS} clients list sources through nginx without pause; one API node is killed
   * halfway. Only the requests in flight on it may fail, and once nginx has seen it gone every
   * request is answered by the other.
   */
  private void killAnApiNodeUnderAStreamOfRequests(Http lb, String scoped, Process victim)
      throws Exception {
    List<Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean going = new AtomicBoolean(true);
    AtomicInteger errors = new AtomicInteger();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(
          CompletableFuture.runAsync(
              () -> {
                while (going.get()) {
                  Instant started = Instant.now();
                  try {
                    var response = lb.get("/api/v1/embedded/sources", scoped);
                    answers.add(
                        new Answer(started, response.status(), response.header("X-Upstream")));
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    answers.add(new Answer(started, -1, null));
                  }
                }
              },
              background));
    }
    Thread.sleep(3000);
    victim.destroyForcibly();
    Instant killedAt = Instant.now();
    victim.waitFor(30, TimeUnit.SECONDS);
    Thread.sleep(5000);
    going.set(false);
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);

    List<Answer> before = answers.stream().filter(a -> a.started().isBefore(killedAt)).toList();
    List<Answer> after = answers.stream().filter(a -> !a.started().isBefore(killedAt)).toList();
    List<Answer> failed = answers.stream().filter(a -> a.status() != 200).toList();
    System.out.printf(
        "ManyNodesIT: %d requests through nginx, %d before the kill, %d after, %d failed (%d"
            + " transport errors)%n",
        answers.size(), before.size(), after.size(), failed.size(), errors.get());
    // a request nginx retried names both upstreams: "a, b"
    assertThat(
            before.stream()
                .filter(a -> a.upstream() != null)
                .flatMap(a -> Stream.of(a.upstream().split(", ")))
                .distinct())
        .as("both nodes answered before the kill")
        .hasSize(2);
    assertThat(failed.size())
        .as("only requests in flight on the killed node may fail: %s", failed)
        .isLessThanOrEqualTo(CLIENTS);
    assertThat(after.size()).as("requests after the kill").isGreaterThan(CLIENTS * 5);
    // nginx marks the node down on its first error; a request started a second after the kill
    // never meets it
    assertThat(after.stream().filter(a -> a.started().isAfter(killedAt.plusSeconds(1))))
        .extracting(Answer::status)
        .containsOnly(200);
  }

  /** A faker source on an every-minute cron in an organization allowed one sync a minute. */
  private static UUID everyMinuteConnection(Fixtures fixtures, Http lb) {
    var tenant = fixtures.tenant();
    var patched =
        lb.patch(
            "/api/v1/admin/organizations/" + tenant.organizationId(),
            Fixtures.ADMIN_KEY,
            Map.of("min_sync_interval_seconds", 60));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    return fixtures.everyMinuteConnection(
        tenant, "/local/many-nodes-" + UUID.randomUUID(), ApiTest.US_REGION);
  }

  private Process node(
      String name,
      String database,
      Map<String, String> environment,
      List<String> properties,
      String... args)
      throws IOException {
    Path log = Path.of("target", "many-nodes-" + name + ".log");
    Process process = NodeProcess.start(log, database, environment, properties, args);
    processes.add(process);
    logs.put(process, log);
    return process;
  }

  /**
   * nginx as an unprivileged process with everything in the test's directory: round robin over the
   * two API nodes, a node that errs or answers 502/503 is skipped and the (idempotent) request
   * tried on the other, which nginx's default leaves POSTs out of.
   */
  private Process nginx(int port, int[] upstreams) throws IOException {
    Path prefix = dir.resolve("nginx");
    Files.createDirectories(prefix);
    // run as root (CI), nginx's worker processes drop to nobody and need its temp directories
    Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxrwxrwx"));
    StringBuilder servers = new StringBuilder();
    for (int upstream : upstreams) {
      servers.append("    server 127.0.0.1:%d max_fails=1 fail_timeout=10s;\n".formatted(upstream));
    }
    String config =
        """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 1024; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          upstream tributary {
        %2$s    keepalive 32;
          }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://tributary;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $http_host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_connect_timeout 2s;
              proxy_next_upstream error timeout http_502 http_503;
              proxy_next_upstream_tries 2;
              add_header X-Upstream $upstream_addr always;
            }
          }
        }
        """
            .formatted(prefix, servers, port);
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(conf, config);
    Process process =
        new ProcessBuilder(
                NGINX, "-p", prefix.toString(), "-e", prefix + "/error.log", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", "many-nodes-nginx.log").toFile())
            .start();
    logs.put(process, prefix.resolve("error.log"));
    nginx = process;
    return process;
  }

  private void awaitOk(String what, Process process, String url) {
    await(what)
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofMillis(500))
        .failFast(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(what + " exited:\n" + tail(logs.get(process)));
              }
            })
        .ignoreExceptions()
        .until(() -> get(url).statusCode() == 200);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String workerPid(String database, String job) {
    return TestDatabase.column(
            database,
            "select split_part(worker, '/', 2) from jobs where id = '" + UUID.fromString(job) + "'")
        .getFirst();
  }

  /** Start minute, status and worker pid of the scheduled runs started after {@code since}. */
  private static List<List<String>> runsSince(String database, UUID connection, Instant since) {
    List<List<String>> runs = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(database);
        var s =
            c.prepareStatement(
                """
                select date_trunc('minute', started_at)::text, status, split_part(worker, '/', 2)
                from jobs where connection_id = ? and kind = 'sync' and started_at > ?
                  and finished_at is not null
                order by started_at""")) {
      s.setObject(1, connection);
      s.setTimestamp(2, java.sql.Timestamp.from(since));
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          runs.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return runs;
  }
}
