#!/usr/bin/env bash
# Runs the load generator pinned to CPU 1 (LOAD_CPU) with any LoadGenerator options, e.g.
#   bench/scripts/run-scenario.sh --scenario fanout --subscribers 1000 --rate 20000 --payload 20 \
#       --server-pid "$(pgrep -n -f sockudo-server.jar)" --label ours
# Raises the open-file limit to the hard limit first (idle scenarios hold thousands of sockets).
set -euo pipefail
SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPTS_DIR/../.." && pwd)"
BENCH_JAR="${BENCH_JAR:-$REPO_DIR/bench/target/benchmarks.jar}"
LOAD_CPU="${LOAD_CPU:-1}"
JAVA_OPTS_LOAD="${JAVA_OPTS_LOAD:--Xms256m -Xmx1g}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt "$LOAD_CPU" ]; then
    PIN=(taskset -c "$LOAD_CPU")
else
    PIN=()
fi
# shellcheck disable=SC2086
exec timeout 300 "${PIN[@]}" java $JAVA_OPTS_LOAD -cp "$BENCH_JAR" io.sockudo.jvm.bench.load.LoadGenerator "$@"
