#!/usr/bin/env bash
# perf/soak.sh: the reliability suite's load and fault run. A teledeployd (forked, -Xmx512m, state in a temp
# dir) and the fleet simulator playing AGENTS agents in rounds for DURATION seconds: each round a new package,
# deployed to all of them; 5 % of requests cut mid-way, 1 % preceded by garbage. Prints the simulator's JSON
# (requests, errors by kind, server heap / RSS / open files before and after, results acknowledged and lost) and
# writes it to OUT (default perf/results/soak-<stamp>.json). 127.0.0.1 only; every process is stopped at the end.
#
#   perf/soak.sh                 AGENTS=10000 DURATION=600
#   AGENTS=1000 DURATION=60 perf/soak.sh
set -euo pipefail
PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$PERF_DIR/.." && pwd)"
AGENTS=${AGENTS:-10000}
DURATION=${DURATION:-600}
CUT=${CUT:-0.05}
GARBAGE=${GARBAGE:-0.01}
CONCURRENCY=${CONCURRENCY:-500}
COMPRESS=${COMPRESS:-1000}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$PERF_DIR/results/soak-$STAMP.json}
HTTP=${HTTP_PORT:-18580} HTTPS=${HTTPS_PORT:-18980} ADMIN=${ADMIN_PORT:-18581}
[ -f "$ROOT/server/target/teledeployd.jar" ] && [ -f "$PERF_DIR/target/teledeploy-perf.jar" ] \
  || (cd "$ROOT" && mvn -B -q package -DskipTests)
STATE=$(mktemp -d /tmp/teledeploy-soak-XXXXXX)
mkdir -p "$(dirname "$OUT")"
TELEDEPLOY_LISTEN_HTTP=127.0.0.1:$HTTP TELEDEPLOY_LISTEN_HTTPS=127.0.0.1:$HTTPS TELEDEPLOY_LISTEN_ADMIN=127.0.0.1:$ADMIN \
TELEDEPLOY_STATE_DIR="$STATE" TELEDEPLOY_LOG_ACCESS=off TELEDEPLOY_TLS_HOSTNAMES=127.0.0.1,localhost \
  java -Xmx512m -jar "$ROOT/server/target/teledeployd.jar" > "$STATE/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$STATE"' EXIT
for _ in $(seq 1 300); do grep -q "started in" "$STATE/server.log" && break; sleep 0.2; done
grep -q "started in" "$STATE/server.log" || { cat "$STATE/server.log" >&2; exit 1; }
set +e
java -Xmx2g -jar "$PERF_DIR/target/teledeploy-perf.jar" cycle --server "http://127.0.0.1:$HTTP/ocsinventory" \
  --admin "http://127.0.0.1:$ADMIN" --token-file "$STATE/admin.token" --ca "$STATE/tls/cacert.pem" --prefix soak \
  --agents "$AGENTS" --concurrency "$CONCURRENCY" --duration "$DURATION" --cut "$CUT" --garbage "$GARBAGE" \
  --compress "$COMPRESS" --package-size 65536 --fragment-size 32k --server-pid "$PID" --out "$OUT"
rc=$?
set -e
# Warnings and errors of the server, counted by message (addresses and times stripped), and the server log kept.
grep -E " (ERROR|WARN) " "$STATE/server.log" | cut -d' ' -f2- | sed -E 's#/?127\.0\.0\.1:[0-9]+#<client>#g' \
  | sort | uniq -c | sort -rn | head -20 > "$OUT.server-warnings.txt" || true
cp "$STATE/server.log" "${OUT%.json}.server.log"
kill -0 $PID 2>/dev/null || { echo "soak: the server died" >&2; rc=3; }
echo "soak: exit $rc, result in $OUT" >&2
exit $rc
