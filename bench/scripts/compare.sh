#!/usr/bin/env bash
# Side-by-side load comparison: our server, soketi 1.6.1 and the raw NIO fan-out baseline, one after another on
# 127.0.0.1:6001 (server pinned to CPU 0, load generator to CPU 1), same scenarios, one results table.
#
#   bench/scripts/compare.sh                 # the reduced comparison (about 10 minutes)
#   bench/scripts/compare.sh --full          # the whole fan-out matrix of issue 7 (about 25 minutes)
#   bench/scripts/compare.sh --servers "ours raw" --no-build
#
# Environment: OUT_DIR (default bench/results/<timestamp>), IDLE_N (default 10000), TARGET_DIR (Maven output
# folder name, default target), WARMUP / DURATION seconds (default 3 / 10), OURS_ALT_OPTS (JVM flags for an extra
# idle-memory run of our server, default -Xmn8m; empty to skip).
set -uo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPTS_DIR/../.." && pwd)"
TARGET_DIR="${TARGET_DIR:-target}"
export SERVER_JAR="${SERVER_JAR:-$REPO_DIR/server/$TARGET_DIR/sockudo-server.jar}"
export BENCH_JAR="${BENCH_JAR:-$REPO_DIR/bench/$TARGET_DIR/benchmarks.jar}"
OUT_DIR="${OUT_DIR:-$REPO_DIR/bench/results/$(date +%Y%m%d-%H%M%S)}"
export LOG_DIR="$OUT_DIR"
IDLE_N="${IDLE_N:-10000}"
OURS_ALT_OPTS="${OURS_ALT_OPTS--Xmn8m}"
WARMUP="${WARMUP:-3}"
DURATION="${DURATION:-10}"
SERVERS="ours soketi raw"
FULL=0
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --full) FULL=1 ;;
        --no-build) BUILD=0 ;;
        --servers) SERVERS="$2"; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
# shellcheck source=servers.sh
. "$SCRIPTS_DIR/servers.sh"
trap stop_server EXIT
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.md"

if [ "$BUILD" = 1 ]; then
    (cd "$REPO_DIR" && mvn -B -q -DskipTests -Dtarget.dir="$TARGET_DIR" package) || exit 1
fi
case " $SERVERS " in *" soketi "*) "$SCRIPTS_DIR/soketi-install.sh" || exit 1 ;; esac

if [ "$FULL" = 1 ]; then
    FANOUT=()
    for n in 1 100 1000 5000; do
        for rate in 10000 20000 40000; do
            for payload in 20 1024; do FANOUT+=("$n $rate $payload 1"); done
        done
    done
else
    # "N deliveries/s payload repetitions": the two headline cases run three times (report the median)
    FANOUT=("100 10000 20 3" "1000 20000 20 3" "1000 20000 1024 1" "1000 40000 20 1" "5000 20000 20 1")
fi

{
    echo "# Load comparison $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), node $(node --version 2>/dev/null)"
    echo "- load before the run: $(uptime)"
    echo "- server pinned to CPU ${SERVER_CPU}, load generator to CPU ${LOAD_CPU:-1}; ulimit -n $(ulimit -n)"
    echo "- warm-up ${WARMUP} s, measured ${DURATION} s; latency from each message's intended send time"
    echo
    java -cp "$BENCH_JAR" io.sockudo.jvm.bench.load.LoadGenerator --header
} >"$RESULTS"

run()
{
    local name="$1"; shift
    echo "== $name"
    "$SCRIPTS_DIR/run-scenario.sh" --server-pid "$SERVER_PID" --results "$RESULTS" \
        --hlog "$OUT_DIR/$name.hlog" "$@" 2>&1 | tee "$OUT_DIR/$name.txt" | grep -v '^|' || true
}

for server in $SERVERS; do
    echo "=== $server"
    start_server "$server" || { echo "could not start $server" >&2; continue; }
    sleep 2
    protocol=pusher
    [ "$server" = raw ] && protocol=raw
    run "$server-idle-$IDLE_N" --label "$server" --protocol "$protocol" --scenario idle --subscribers "$IDLE_N" \
        --settle 3
    for spec in "${FANOUT[@]}"; do
        set -- $spec
        for rep in $(seq 1 "$4"); do
            run "$server-fanout-$1-$2-$3-r$rep" --label "$server" --protocol "$protocol" --scenario fanout \
                --subscribers "$1" --rate "$2" --payload "$3" --warmup "$WARMUP" --duration "$DURATION" \
                --publisher-connections $(( $2 / $1 > 1000 ? 16 : 4 ))
        done
    done
    if [ "$server" != raw ]; then
        run "$server-ci-local" --label "$server" --protocol "$protocol" --scenario churn --subscribers 250 \
            --churners 250 --publish-rate 10 --warmup "$WARMUP" --duration 20
    fi
    stop_server
    if [ "$server" = ours ] && [ -n "$OURS_ALT_OPTS" ]; then
        # The same server with a small young generation: shows how much of the idle RSS is committed heap
        # for garbage rather than connection state.
        echo "=== ours $OURS_ALT_OPTS (idle only)"
        OURS_JAVA_OPTS="$OURS_ALT_OPTS" start_server ours || continue
        sleep 2
        run "ours-alt-idle-$IDLE_N" --label "ours $OURS_ALT_OPTS" --scenario idle --subscribers "$IDLE_N" --settle 3
        stop_server
    fi
done
echo "- load after the run: $(uptime)" >>"$RESULTS"
echo
cat "$RESULTS"
