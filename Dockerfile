# syntax=docker/dockerfile:1.7
# Tributary's container image: one image, both roles (`serve` for the API, `worker` for syncs).
#   docker build -t tributary .
#   docker run -p 8080:8080 -v tributary-data:/data tributary serve        # embedded PostgreSQL under /data
#   docker run ... -e TRIBUTARY_DATABASE_URL=postgresql://… -e TRIBUTARY_MASTER_KEY=… tributary worker
# Production runs on an external PostgreSQL (docker-compose.yml, deploy/helm/tributary); the image still
# carries its own platform's embedded PostgreSQL so that a single `docker run` is a working instance.

# ---- build: the Maven wrapper, a JDK 21 and Node.js for the widget's bundle
FROM eclipse-temurin:21-jdk-noble AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change does not download the world again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY protocol/pom.xml protocol/
COPY connector-api/pom.xml connector-api/
COPY connectors/pom.xml connectors/
COPY engine/pom.xml engine/
COPY widget/pom.xml widget/package.json widget/package-lock.json widget/
COPY server/pom.xml server/
COPY bench/pom.xml bench/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -q -pl server -am dependency:go-offline -Dexec.skip=true || true
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl server -am -DskipTests package \
 && mkdir /app \
 && java -Djarmode=tools -jar server/target/tributary-server.jar extract --destination /app/tributary
# The jar holds embedded PostgreSQL for linux-amd64, linux-arm64 and darwin-arm64; this image keeps only
# its own platform's. The extracted jar's Class-Path names every library, and a missing one is skipped.
ARG TARGETARCH
RUN case "${TARGETARCH:-$(dpkg --print-architecture)}" in \
      amd64) keep=linux-amd64 ;; \
      arm64) keep=linux-arm64v8 ;; \
      *) echo "no embedded PostgreSQL for ${TARGETARCH}" >&2; keep=none ;; \
    esac \
 && find /app/tributary/lib -name 'embedded-postgres-binaries-*.jar' ! -name "embedded-postgres-binaries-${keep}-*" -print -delete

# ---- runtime: Temurin 21 JRE (what ./tributary picks: the newest JDK >= 21) and Python 3.11 with venv, in
# which Tributary installs the Airbyte connectors' virtual environments (under $TRIBUTARY_DATA_DIR/connectors)
FROM python:3.11-slim-bookworm
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=eclipse-temurin:21-jre /opt/java/openjdk ${JAVA_HOME}
# bubblewrap sandboxes connector processes (TRIBUTARY_CONNECTOR_SANDBOX, default auto). It needs user
# namespaces, which Docker's default seccomp profile refuses: there connectors run unsandboxed, said in the log.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 tributary \
 && useradd --system --uid 10001 --gid tributary --home-dir /data --no-create-home --shell /usr/sbin/nologin tributary \
 && mkdir -p /data && chown tributary:tributary /data
COPY --from=build /app/tributary /opt/tributary
COPY <<'EOF' /usr/local/bin/tributary
#!/bin/sh
# `tributary serve`, `tributary worker`, `tributary admin …`: the launcher of the image.
exec "$JAVA_HOME/bin/java" ${TRIBUTARY_JAVA_OPTS:-} -jar /opt/tributary/tributary-server.jar "$@"
EOF
RUN chmod 0755 /usr/local/bin/tributary
# In a container the API and the metrics must be reachable from outside the container's own loopback;
# which ports are published stays the operator's choice (metrics name organizations and routes).
ENV TRIBUTARY_DATA_DIR=/data \
    TRIBUTARY_BIND=0.0.0.0 \
    TRIBUTARY_PORT=8080 \
    TRIBUTARY_METRICS_ADDRESS=0.0.0.0 \
    TRIBUTARY_METRICS_PORT=9464 \
    TRIBUTARY_PYTHON=python3 \
    TRIBUTARY_JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080 9464
# The API role's health; a worker answers /health on the metrics port instead (docker-compose.yml sets it).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD python3 -c "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/v1/health' % os.environ.get('TRIBUTARY_PORT','8080'), timeout=4)"
ENTRYPOINT ["/usr/local/bin/tributary"]
CMD ["serve"]
