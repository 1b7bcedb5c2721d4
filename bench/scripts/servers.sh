#!/usr/bin/env bash
# Start and stop the servers the load scripts compare, one at a time on 127.0.0.1:6001, pinned to CPU 0.
# Source it:  . bench/scripts/servers.sh ; start_server ours|ours-durable|soketi|raw ; ... ; stop_server
# ours-durable is our server with sockudo-bench-durable.toml (event log, versioned messages, annotations); its log
# goes to a fresh directory under $TMPDIR (HISTORY_LOG_DIRECTORY), removed by stop_server.
# After start_server, SERVER_PID is the server process itself (never a wrapper), for /proc CPU and RSS.
# Environment: SERVER_CPU (default 0), SOKETI_DIR (see soketi-install.sh), SERVER_JAR, BENCH_JAR, LOG_DIR,
# OURS_JAVA_OPTS (extra JVM flags for our server; empty = plain `java -jar` as the README runs it), RAW_JAVA_OPTS
# (the same for the raw baseline).

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPTS_DIR/../.." && pwd)"
SERVER_CPU="${SERVER_CPU:-0}"
SOKETI_DIR="${SOKETI_DIR:-$HOME/.cache/sockudo-bench/soketi-1.6.1}"
SERVER_JAR="${SERVER_JAR:-$REPO_DIR/server/target/sockudo-server.jar}"
BENCH_JAR="${BENCH_JAR:-$REPO_DIR/bench/target/benchmarks.jar}"
LOG_DIR="${LOG_DIR:-/tmp}"
SERVER_PID=""
DURABLE_DIR=""
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

PIN=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt "$SERVER_CPU" ]; then
    # taskset and env exec the server, so $! is the server process itself
    PIN=(taskset -c "$SERVER_CPU")
fi

port_busy()
{
    (exec 3<>/dev/tcp/127.0.0.1/6001) 2>/dev/null
}

wait_port()
{
    # wait (at most 30 s) until 127.0.0.1:6001 accepts connections
    local i
    for i in $(seq 1 300); do
        if port_busy; then return 0; fi
        if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server $SERVER_PID exited during start-up" >&2; return 1
        fi
        sleep 0.1
    done
    echo "port 6001 did not open in 30 s" >&2
    return 1
}

start_server()
{
    local which="$1"
    if port_busy; then
        echo "127.0.0.1:6001 is already in use; stop that server first" >&2
        return 1
    fi
    case "$which" in
        ours)
            # shellcheck disable=SC2086
            "${PIN[@]}" java ${OURS_JAVA_OPTS:-} -jar "$SERVER_JAR" --config "$SCRIPTS_DIR/sockudo-bench.toml" \
                >"$LOG_DIR/load-server-ours.log" 2>&1 &
            SERVER_PID=$!
            ;;
        ours-durable)
            DURABLE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/sockudo-bench-durable.XXXXXX")" || return 1
            # shellcheck disable=SC2086
            "${PIN[@]}" env HISTORY_LOG_DIRECTORY="$DURABLE_DIR/data" java ${OURS_JAVA_OPTS:-} -jar "$SERVER_JAR" \
                --config "$SCRIPTS_DIR/sockudo-bench-durable.toml" >"$LOG_DIR/load-server-ours-durable.log" 2>&1 &
            SERVER_PID=$!
            ;;
        soketi)
            if [ ! -f "$SOKETI_DIR/node_modules/@soketi/soketi/bin/server.js" ]; then
                echo "soketi is not installed; run bench/scripts/soketi-install.sh" >&2; return 1
            fi
            # The cluster variables are required: without them soketi's node-discover broadcasts UDP to the
            # whole network. Everything else is soketi 1.6.1's default (app-id / app-key / app-secret, port 6001).
            "${PIN[@]}" env SOKETI_HOST=127.0.0.1 SOKETI_PORT=6001 SOKETI_METRICS_HOST=127.0.0.1 \
                SOKETI_ADAPTER_DRIVER=local SOKETI_RATE_LIMITER_DRIVER=local \
                SOKETI_CLUSTER_HOST=127.0.0.1 SOKETI_CLUSTER_UNICAST_ADDRESSES=127.0.0.1 \
                node "$SOKETI_DIR/node_modules/@soketi/soketi/bin/server.js" start \
                >"$LOG_DIR/load-server-soketi.log" 2>&1 &
            SERVER_PID=$!
            ;;
        raw)
            # shellcheck disable=SC2086
            "${PIN[@]}" java ${RAW_JAVA_OPTS:-} -cp "$BENCH_JAR" io.sockudo.jvm.bench.load.RawFanoutServer \
                --host 127.0.0.1 --port 6001 --max-seconds 1800 >"$LOG_DIR/load-server-raw.log" 2>&1 &
            SERVER_PID=$!
            ;;
        *)
            echo "unknown server $which (ours, ours-durable, soketi, raw)" >&2; return 1 ;;
    esac
    wait_port
}

stop_server()
{
    # SIGTERM, then SIGINT (soketi's graceful shutdown lingers), then SIGKILL; only our own PID.
    [ -z "$SERVER_PID" ] && { remove_durable_dir; return 0; }
    local sig i
    for sig in TERM INT KILL; do
        kill -s "$sig" "$SERVER_PID" 2>/dev/null || break
        for i in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break 2
            sleep 0.1
        done
    done
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
    remove_durable_dir
}

remove_durable_dir()
{
    if [ -n "$DURABLE_DIR" ]; then
        du -sh "$DURABLE_DIR" 2>/dev/null | sed 's/^/event log size at stop: /'
        rm -rf "$DURABLE_DIR"
        DURABLE_DIR=""
    fi
}
