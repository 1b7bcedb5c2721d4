#!/usr/bin/env bash
# Installs soketi 1.6.1 from the npm registry into $SOKETI_DIR (default ~/.cache/sockudo-bench/soketi-1.6.1).
# A plain `npm install @soketi/soketi` fails because soketi depends on uWebSockets.js from a git URL; the npm
# `overrides` below map it to an npm-published repack of uWS 20.30 that has binaries for Node 20 (ABI 115).
# Usage: bench/scripts/soketi-install.sh
set -euo pipefail
SOKETI_DIR="${SOKETI_DIR:-$HOME/.cache/sockudo-bench/soketi-1.6.1}"
mkdir -p "$SOKETI_DIR"
cd "$SOKETI_DIR"
if [ -x node_modules/.bin/soketi ]; then
    echo "soketi already installed in $SOKETI_DIR"
else
    cat > package.json <<'JSON'
{
  "name": "sockudo-bench-soketi",
  "private": true,
  "dependencies": { "@soketi/soketi": "1.6.1" },
  "overrides": { "uWebSockets.js": "npm:@trufflesuite/uws-js-unofficial@20.30.0-unofficial.0" }
}
JSON
    timeout 600 npm install --no-audit --no-fund
fi
# The repack prints a warning and silently falls back to a slow pure-JS implementation when it has no binary for
# this Node ABI; the figures would then not be soketi's. Refuse that.
check="$(node -e 'require("uWebSockets.js"); console.log("uWS native binding loads on node " + process.version)' 2>&1)"
echo "$check"
if echo "$check" | grep -qi "falling back\|error"; then
    echo "uWebSockets.js has no native binary for node $(node --version) (ABI $(node -p process.versions.modules));" \
        "use Node 16/18/20" >&2
    exit 1
fi
echo "soketi 1.6.1 ready in $SOKETI_DIR"
