#!/usr/bin/env bash
# Side-by-side load comparison: our server, soketi 1.6.1 and the raw fan-out baseline, one after another on
# 127.0.0.1:6001 (server pinned to CPU 0, load generator to CPU 1), same scenarios, one results table.
#
#   bench/scripts/compare.sh                 # issue 7's whole fan-out matrix, idle and ci-local (about 17 minutes)
#   bench/scripts/compare.sh --quick         # a 3-cell trial of the same pipeline (about 3 minutes)
#   bench/scripts/compare.sh --headline      # only the target cells, servers taking turns, ROUNDS times (~8 min)
#   bench/scripts/compare.sh --servers "ours raw" --no-build
#   bench/scripts/compare.sh --durable       # our server only: versioned messages and annotations (about 5 minutes)
#
# --headline runs N=1000 at 20k/s with 20 B (HEADLINE_DURATION) and 1 KiB, and N=5000 at 20k/s with 20 B, on each
# server in turn, ROUNDS (default 3) times, so that noise from other work on the machine is spread over all servers.
# Each fresh server first gets an unrecorded JIT_SECONDS (default 15) pass of the first cell, so that the recorded
# cells measure compiled code (our server and the raw baseline on HotSpot, soketi on V8) and not compilation.
#
# Per server: idle connections (IDLE_N, default the hard open-file limit minus 1000), then the fan-out matrix
# N in {1, 100, 1000, 5000} x {10k, 20k, 40k} deliveries/s x {20 B, 1 KiB}, the headline cell (N=1000, 20k/s,
# 20 B) twice more with a longer window (report the median of the three), then ci-local (250 steady + 250 churning
# subscribers, a timed message every 100 ms; not for raw, which has no subscribe). Our server and the raw baseline
# then get a second idle run with ALT_JAVA_OPTS (default -Xmn8m) to show how much of a JVM's idle RSS growth is
# young-generation garbage rather than connection state.
#
# --durable runs only our server, with sockudo-bench-durable.toml (servers.sh `ours-durable`), for N in {100, 1000}
# and {1k, 5k, 10k} deliveries/s, plus N = 1 at 2k publishes/s (the publish path alone): `fanout --protocol v2` on the plain channel `bench` (no history), `versioned` on
# `chat:bench` (event-log append + versioned create) and `annotation` on a fresh `chat:ann-N-rate` channel
# (annotation publish -> message.summary on every subscriber). soketi has neither feature. DURABLE_DURATION
# (default 8) is the measured window of these cells.
#
# While it runs it holds BENCH_LOCK (default /tmp/bench.lock) so that others on the machine can avoid running heavy
# jobs; the lock is removed on exit if this script created it.
#
# Environment: OUT_DIR (default bench/target/load-results/<timestamp>), IDLE_N, TARGET_DIR (Maven output folder
# name, default target), WARMUP / DURATION seconds for the matrix cells (default 2 / 5), HEADLINE_DURATION (default
# 10), CI_DURATION (default 20), ALT_JAVA_OPTS (empty to skip the extra idle runs), BENCH_LOCK (empty for none).
set -uo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPTS_DIR/../.." && pwd)"
TARGET_DIR="${TARGET_DIR:-target}"
export SERVER_JAR="${SERVER_JAR:-$REPO_DIR/server/$TARGET_DIR/sockudo-server.jar}"
export BENCH_JAR="${BENCH_JAR:-$REPO_DIR/bench/$TARGET_DIR/benchmarks.jar}"
OUT_DIR="${OUT_DIR:-$REPO_DIR/bench/$TARGET_DIR/load-results/$(date +%Y%m%d-%H%M%S)}"
export LOG_DIR="$OUT_DIR"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
IDLE_N="${IDLE_N:-$(( $(ulimit -n) - 1000 ))}"
ALT_JAVA_OPTS="${ALT_JAVA_OPTS--Xmn8m}"
WARMUP="${WARMUP:-2}"
DURATION="${DURATION:-5}"
HEADLINE_DURATION="${HEADLINE_DURATION:-10}"
JIT_SECONDS="${JIT_SECONDS:-15}"
CI_DURATION="${CI_DURATION:-20}"
BENCH_LOCK="${BENCH_LOCK-/tmp/bench.lock}"
SERVERS="ours soketi raw"
QUICK=0
HEADLINE=0
DURABLE=0
DURABLE_DURATION="${DURABLE_DURATION:-8}"
IDLE_CPU_NOTE=""
ROUNDS="${ROUNDS:-3}"
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --headline) HEADLINE=1 ;;
        --durable) DURABLE=1; SERVERS="" ;;
        --no-build) BUILD=0 ;;
        --servers) SERVERS="$2"; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
# shellcheck source=servers.sh
. "$SCRIPTS_DIR/servers.sh"
LOCK_CREATED=0
cleanup()
{
    stop_server
    if [ "$LOCK_CREATED" = 1 ]; then rm -f "$BENCH_LOCK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.md"
exec > >(tee -a "$OUT_DIR/console.log") 2>&1

if [ "$BUILD" = 1 ]; then
    (cd "$REPO_DIR" && mvn -B -q -DskipTests -Dtarget.dir="$TARGET_DIR" package) || exit 1
fi
case " $SERVERS " in *" soketi "*) "$SCRIPTS_DIR/soketi-install.sh" || exit 1 ;; esac
if [ -n "$BENCH_LOCK" ] && [ ! -e "$BENCH_LOCK" ]; then
    echo "compare.sh pid $$ started $(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$BENCH_LOCK" && LOCK_CREATED=1
fi

# "N deliveries/s payload window-seconds"
FANOUT=()
if [ "$QUICK" = 1 ]; then
    FANOUT=("100 10000 20 $DURATION" "1000 20000 20 $DURATION" "5000 40000 1024 $DURATION")
    IDLE_N=2000
    CI_DURATION=8
else
    for n in 1 100 1000 5000; do
        for rate in 10000 20000 40000; do
            for payload in 20 1024; do FANOUT+=("$n $rate $payload $DURATION"); done
        done
    done
    FANOUT+=("1000 20000 20 $HEADLINE_DURATION" "1000 20000 20 $HEADLINE_DURATION" "1000 20000 20 $HEADLINE_DURATION")
fi

{
    echo "# Load comparison $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -r)," \
        "$(java -version 2>&1 | head -1), node $(node --version 2>/dev/null)"
    echo "- commit: $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)" \
        "($(git -C "$REPO_DIR" status --porcelain 2>/dev/null | wc -l) files changed in the work tree)"
    echo "- load before the run: $(uptime)"
    echo "- server pinned to CPU ${SERVER_CPU}, load generator to CPU ${LOAD_CPU:-1}; ulimit -n $(ulimit -n)"
    if [ "$DURABLE" = 1 ]; then
        echo "- durable cells (our server, sockudo-bench-durable.toml): warm-up ${WARMUP} s, measured" \
            "${DURABLE_DURATION} s; latency from each publish's intended send time to the delivery (annotation:" \
            "to the k-th message.summary frame, matched by order)"
    else
        echo "- matrix cells: warm-up ${WARMUP} s, measured ${DURATION} s (headline cell ${HEADLINE_DURATION} s);" \
            "latency from each message's intended send time"
    fi
    echo
    java -cp "$BENCH_JAR" io.sockudo.jvm.bench.load.LoadGenerator --header
} >"$RESULTS"

run()
{
    local name="$1"; shift
    echo "== $name ($(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
    "$SCRIPTS_DIR/run-scenario.sh" --server-pid "$SERVER_PID" --results "$RESULTS" \
        --hlog "$OUT_DIR/$name.hlog" "$@" >"$OUT_DIR/$name.txt" 2>&1
    grep -E '^  (latency|server CPU|problems)' "$OUT_DIR/$name.txt" || tail -3 "$OUT_DIR/$name.txt"
}

idle_run()
{
    local server="$1" label="$2"
    local tag="${label// /}"
    local protocol=pusher
    [ "$server" = raw ] && protocol=raw
    start_server "$server" || { echo "could not start $server" >&2; return 1; }
    sleep 2
    run "$tag-idle-$IDLE_N" --label "$label" --protocol "$protocol" --scenario idle --subscribers "$IDLE_N" \
        --settle 3 --connect-timeout 120
    stop_server
}

if [ "$DURABLE" = 1 ]; then
    echo "=== ours-durable"
    if start_server ours-durable; then
        sleep 2
        # The server's CPU floor with nothing to do: at 1k deliveries/s it is a large part of "µs/delivery".
        ticks0="$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")"
        sleep 5
        ticks1="$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")"
        IDLE_CPU_NOTE="- idle server CPU (no connections, 5 s): $(( (ticks1 - ticks0) * 10 / 5 )) ms per second"
        echo "$IDLE_CPU_NOTE"
        # One unrecorded 3 s pass of each scenario first, so that the first recorded cells do not pay for JIT.
        for scenario in "fanout --protocol v2 --channel bench" "versioned --channel chat:bench" \
            "annotation --channel chat:ann-jit"; do
            # shellcheck disable=SC2086
            "$SCRIPTS_DIR/run-scenario.sh" --label jit --subscribers 100 --rate 5000 --warmup 1 --duration 3 \
                --scenario $scenario >"$OUT_DIR/jit-${scenario%% *}.txt" 2>&1 || echo "JIT pass $scenario failed"
        done
        # "N deliveries/s": the six fan-out cells, then N = 1 at 2000 publishes/s, where the publish path (HTTP,
        # log append, versioning, summary rendering) is the whole cost instead of a share of 100-1000 writes.
        for cell in "100 1000" "100 5000" "100 10000" "1000 1000" "1000 5000" "1000 10000" "1 2000"; do
            set -- $cell
            n="$1" rate="$2"
            common=(--label ours --subscribers "$n" --rate "$rate" --warmup "$WARMUP" --duration "$DURABLE_DURATION"
                --publisher-connections 4)
            run "ours-v2plain-$n-$rate" "${common[@]}" --scenario fanout --protocol v2 --channel bench --payload 20
            run "ours-versioned-$n-$rate" "${common[@]}" --scenario versioned --channel chat:bench --payload 20
            run "ours-annotation-$n-$rate" "${common[@]}" --scenario annotation --channel "chat:ann-$n-$rate" \
                --annotation-clients 100
        done
        stop_server
    else
        echo "could not start ours-durable" >&2
    fi
fi

if [ "$HEADLINE" = 1 ]; then
    for round in $(seq 1 "$ROUNDS"); do
        for server in $SERVERS; do
            echo "=== $server round $round"
            protocol=pusher
            [ "$server" = raw ] && protocol=raw
            start_server "$server" || { echo "could not start $server" >&2; continue; }
            sleep 2
            # One unrecorded pass of the headline load first: a fresh process compiles its hot paths (HotSpot's
            # JIT, V8's TurboFan) during its first seconds of fan-out, and that one-off cost is not per delivery.
            "$SCRIPTS_DIR/run-scenario.sh" --server-pid "$SERVER_PID" --label jit --protocol "$protocol" \
                --scenario fanout --subscribers 1000 --rate 20000 --payload 20 --warmup 2 --duration "$JIT_SECONDS" \
                --publisher-connections 4 >"$OUT_DIR/$server-jit-round$round.txt" 2>&1 || echo "JIT pass failed"
            for spec in "1000 20000 20 $HEADLINE_DURATION" "1000 20000 1024 $DURATION" "5000 20000 20 $DURATION"; do
                set -- $spec
                run "$server-headline-$1-$2-$3-round$round" --label "$server" --protocol "$protocol" \
                    --scenario fanout --subscribers "$1" --rate "$2" --payload "$3" --warmup "$WARMUP" \
                    --duration "$4" --publisher-connections 4
            done
            stop_server
        done
    done
    SERVERS=""
fi

for server in $SERVERS; do
    echo "=== $server"
    protocol=pusher
    [ "$server" = raw ] && protocol=raw
    # Idle first, on a fresh process, so the RSS delta is not mixed with heap left by earlier scenarios.
    idle_run "$server" "$server"
    if [ "$server" != soketi ] && [ -n "$ALT_JAVA_OPTS" ]; then
        OURS_JAVA_OPTS="$ALT_JAVA_OPTS" RAW_JAVA_OPTS="$ALT_JAVA_OPTS" idle_run "$server" "$server $ALT_JAVA_OPTS"
    fi
    start_server "$server" || { echo "could not start $server" >&2; continue; }
    sleep 2
    rep=0
    for spec in "${FANOUT[@]}"; do
        set -- $spec
        rep=$((rep + 1))
        run "$server-fanout-$1-$2-$3-$4s-$rep" --label "$server" --protocol "$protocol" --scenario fanout \
            --subscribers "$1" --rate "$2" --payload "$3" --warmup "$WARMUP" --duration "$4" \
            --publisher-connections $(( $2 / $1 > 1000 ? 16 : 4 ))
    done
    if [ "$server" != raw ]; then
        run "$server-ci-local" --label "$server" --protocol "$protocol" --scenario churn --subscribers 250 \
            --churners 250 --publish-rate 10 --warmup 3 --duration "$CI_DURATION"
    fi
    stop_server
done
echo >>"$RESULTS"
[ -n "$IDLE_CPU_NOTE" ] && echo "$IDLE_CPU_NOTE" >>"$RESULTS"
echo "- load after the run: $(uptime)" >>"$RESULTS"
echo
echo "results: $RESULTS"
cat "$RESULTS"
