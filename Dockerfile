# syntax=docker/dockerfile:1
#
# sockudo-jvm container image.
#
#   docker build -t sockudo-jvm .
#   docker run --rm -p 6001:6001 -p 9601:9601 --stop-timeout 30 \
#     -v sockudo-data:/var/lib/sockudo/data \
#     -v "$PWD/config.toml:/etc/sockudo/config.toml:ro" sockudo-jvm
#
# The default config is ops/config/single-node.toml, whose example app is disabled: mount your own config
# at /etc/sockudo/config.toml, or add an app with the SOCKUDO_DEFAULT_APP_* variables. JVM flags go in
# JAVA_TOOL_OPTIONS. See docs/operations.md ("Docker").

# ---- build stage -----------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# .dockerignore keeps .git, build output and IDE files out of the context.
COPY . .
# The cache mount keeps downloaded dependencies between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

# ---- runtime stage ---------------------------------------------------------------------------------
# Ubuntu-based; the image installs curl (and wget) itself, which the HEALTHCHECK uses. The first RUN
# below fails the build if a future base image drops curl.
FROM eclipse-temurin:17-jre

RUN set -eux; \
    command -v curl; \
    groupadd --system --gid 10001 sockudo; \
    useradd --system --uid 10001 --gid sockudo --home-dir /var/lib/sockudo --no-create-home \
        --shell /usr/sbin/nologin sockudo; \
    mkdir -p /opt/sockudo /etc/sockudo /var/lib/sockudo/data; \
    chown -R sockudo:sockudo /var/lib/sockudo

COPY --from=build /src/server/target/sockudo-server.jar /opt/sockudo/sockudo-server.jar
COPY ops/config/single-node.toml /etc/sockudo/config.toml

# The durable log is written under ./data, i.e. /var/lib/sockudo/data: mount a volume there.
WORKDIR /var/lib/sockudo
USER 10001:10001

# Heap from the container's memory limit (the JVM default is 25%). Override the variable to set -Xmx,
# the GC and the other flags of docs/operations.md.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"

# 6001: WebSocket, HTTP API, /up. 9601: /metrics.
EXPOSE 6001 9601

# /up answers 200 while at least one app is configured. PORT follows the env override; a port set only
# in a mounted config file needs the same PORT variable, or a HEALTHCHECK of your own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-6001}/up" || exit 1

# SIGTERM (docker stop) starts the graceful shutdown, which takes up to shutdown_grace_period (10 s by
# default): give docker stop more time than that (--stop-timeout 30, or stop_grace_period in compose).
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/opt/sockudo/sockudo-server.jar"]
# Arguments after the image name replace this, e.g. `--config /etc/sockudo/other.toml`. With no
# arguments at all (CMD []), the server looks for ./config/config.toml, then uses its built-in defaults.
CMD ["--config", "/etc/sockudo/config.toml"]
