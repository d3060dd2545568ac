# Sourced by bench/server-load and bench/peers: starts the built server jar as ./tributary starts it (the
# launcher's JVM options unless BENCH_JAVA_OPTS is set; TRIBUTARY_* variables pass through) on its own embedded,
# durable PostgreSQL under a scratch data directory, and signs in as an operator.
# Sets: work, base, metrics, gc_log, server_pid, admin, operator, scoped; defines post and rss; registers cleanup on EXIT.
# Expects: root (the repository), JAVA_HOME.
jar="${BENCH_JAR:-$root/server/target/tributary-server.jar}"
[ -f "$jar" ] || { echo "build the server first: ./mvnw -B package -DskipTests -pl server -am" >&2; exit 2; }
work="$(mktemp -d /tmp/tributary-bench.XXXXXX)"
port=$((20000 + RANDOM % 20000)); metrics=$((port + 1))
admin="bench-admin-key-$(date +%s%N)"
base="http://127.0.0.1:$port"
server_pid=""
# every collection's pause, to tell a latency tail made by the collector from one made elsewhere
gc_log="$work/gc.log"
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {
  local java_opts
  if [ -n "${BENCH_JAVA_OPTS+x}" ]; then
    java_opts="$BENCH_JAVA_OPTS"
  else
    java_opts="$(TRIBUTARY_PRINT_JAVA_OPTS=1 "$root/tributary")"
  fi
  echo "JVM options: ${java_opts:-(none)}" >&2
  # the launcher exports this too: glibc's per-thread arenas would otherwise inflate the resident size
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" \
  TRIBUTARY_DATA_DIR="$work/data" TRIBUTARY_PORT=$port TRIBUTARY_METRICS_PORT=$metrics TRIBUTARY_ADMIN_KEY="$admin" \
    TRIBUTARY_BOOTSTRAP=false TRIBUTARY_DEMO=false \
    "$JAVA_HOME/bin/java" $java_opts "-Xlog:gc:file=$gc_log" -jar "$jar" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -sf "$base/api/v1/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -sf "$base/api/v1/health" >/dev/null
  # an organization whose limit every request counts against, high enough that the run is not refused
  local org app
  org=$(post /api/v1/admin/organizations "$admin" '{"name":"bench","rate_limit_per_hour":100000000}' | jq -r .id)
  app=$(post "/api/v1/admin/organizations/$org/applications" "$admin" '{"name":"bench"}')
  operator=$(curl -sS -f -X POST "$base/api/v1/account/applications/token" -H 'Content-Type: application/json' \
    -d "$(jq -c '{client_id, client_secret}' <<<"$app")" | jq -r .access_token)
  scoped=$(post /api/v1/embedded/scoped-token "$operator" '{"workspace_name":"bench"}' | jq -r .token)
}

post() { # path token body
  curl -sS --fail-with-body -X POST "$base$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"
}

rss() { awk '/^(VmHWM|VmRSS)/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$server_pid/status"; echo; }
