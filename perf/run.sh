#!/usr/bin/env bash
# perf/run.sh: every workload of the performance issue, against the real OCS 2.8.1 server, nginx and teledeployd,
# side by side in one run on this machine, with the same load generator (wrk, via ../shared/bench/bench.sh) and
# the same data. Writes perf/RESULTS.md and the raw JSON under perf/results/<stamp>/.
#
#   sudo perf/run.sh            (root: the peers are Debian packages; Debian 12; everything on 127.0.0.1)
#
# Bounded: wrk runs of at most 30 s each, every process started here is stopped at the end, the whole run takes
# about 25-30 minutes on 2 cores. Settings (environment, defaults in brackets):
#   RUNS [2] WARMUP [3] DUR_OCS [10] DUR_STATIC [8]   passed to bench.sh (runs per figure, seconds per wrk run)
#   OCS_DEVICES [5000]        devices registered in OCS (it registers ~30/s; PEERS.md shows PROLOG flat 1k-20k)
#   SCALE_DEVICES [100000]    devices for teledeploy's PROLOG / result / inventory figures at scale
#   MAX_DEVICES [1000000]     devices for the 1M figures (inventory, PROLOG, start-up, heap with -Xmx512m)
#   FLEET_AGENTS [100000]     agents the fleet simulator runs through the whole cycle
#   IDLE_CONNECTIONS [10000]  idle keep-alive agent connections held
#   PEERS [1]                 0: skip OCS and nginx (teledeploy figures only, no ratios)
#   JMH [1]                   0: skip the JMH benchmarks (perf/jmh.sh)
#   KEEP_PEERS [0]            1: leave OCS and nginx running afterwards
#   SERVER_HEAP [512m]        -Xmx of every teledeployd started here
set -euo pipefail

PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$PERF_DIR/.." && pwd)"
BENCH="${BENCH_DIR:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd || true)}"
STAMP=$(date +%Y%m%d-%H%M%S)
OUT="$PERF_DIR/results/$STAMP"
export RUNS=${RUNS:-2} WARMUP=${WARMUP:-3} DUR_OCS=${DUR_OCS:-10} DUR_STATIC=${DUR_STATIC:-8}
OCS_DEVICES=${OCS_DEVICES:-5000}
SCALE_DEVICES=${SCALE_DEVICES:-100000}
MAX_DEVICES=${MAX_DEVICES:-1000000}
FLEET_AGENTS=${FLEET_AGENTS:-100000}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
PEERS=${PEERS:-1}
JMH=${JMH:-1}
KEEP_PEERS=${KEEP_PEERS:-0}
SERVER_HEAP=${SERVER_HEAP:-512m}
SERVER_JAR="$ROOT/server/target/teledeployd.jar"
PERF_JAR="$PERF_DIR/target/teledeploy-perf.jar"
PKG=1764000000        # the peers' benchmark packages (../shared/bench/env.sh), imported unchanged
PKG16=1764000016
OCS_DOWNLOAD=/var/lib/ocsinventory-reports/download

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/timeline.txt" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || { echo "perf/run.sh: run as root (the peers are Debian packages)" >&2; exit 2; }
[ -x "$BENCH/bench.sh" ] || { echo "perf/run.sh: ../shared/bench not found (set BENCH_DIR)" >&2; exit 2; }
mkdir -p "$OUT"
START=$(date +%s)
log "results in $OUT"

# ------------------------------------------------------------------ build and tools
if [ ! -f "$SERVER_JAR" ] || [ ! -f "$PERF_JAR" ]; then
  log "building the jars"
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 "$@"; }
if ! command -v wrk >/dev/null || ! command -v iperf3 >/dev/null || ! command -v curl >/dev/null; then
  log "installing wrk, iperf3, curl"
  apt_get update -qq && apt_get install -y -qq --no-install-recommends wrk iperf3 curl python3 >/dev/null
fi

# ------------------------------------------------------------------ teledeployd instances
TD_PIDS=()
cleanup() {
  local p
  for p in "${TD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${TD_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ "$PEERS" = 1 ] && [ "$KEEP_PEERS" != 1 ]; then
    "$BENCH/setup-nginx.sh" disable >/dev/null 2>&1 || true
    "$BENCH/setup-ocs.sh" disable >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# td_start NAME HTTP HTTPS ADMIN [KEY=VALUE...]: a teledeployd with its own state dir; sets TD_PID, TD_TOKEN
td_start() {
  local name=$1 http=$2 https=$3 admin=$4; shift 4
  local dir="$OUT/td-$name" kv env=() seen
  mkdir -p "$dir"
  touch "$dir/server.log"
  seen=$(grep -c "started in" "$dir/server.log" || true)
  for kv in "$@"; do env+=("$kv"); done
  env TELEDEPLOY_LISTEN_HTTP="127.0.0.1:$http" TELEDEPLOY_LISTEN_HTTPS="127.0.0.1:$https" \
      TELEDEPLOY_LISTEN_ADMIN="127.0.0.1:$admin" TELEDEPLOY_STATE_DIR="${TD_STATE:-$dir/var}" \
      TELEDEPLOY_LOG_ACCESS=off TELEDEPLOY_TLS_HOSTNAMES=127.0.0.1,localhost "${env[@]}" \
      java -Xmx"$SERVER_HEAP" ${TD_JAVA_OPTS:-} -jar "$SERVER_JAR" >> "$dir/server.log" 2>&1 &
  TD_PID=$!
  TD_PIDS+=("$TD_PID")
  local i
  for i in $(seq 1 600); do
    [ "$(grep -c "started in" "$dir/server.log" || true)" -gt "$seen" ] && break
    kill -0 "$TD_PID" 2>/dev/null || die "teledeployd $name did not start (see $dir/server.log)"
    sleep 0.2
  done
  TD_TOKEN=$(cat "${TD_STATE:-$dir/var}/admin.token")
  log "teledeployd $name: pid $TD_PID, $(grep "started in" "$dir/server.log" | tail -1 | sed 's/.*started in/started in/; s/, state in.*//')"
}
td_stop() {  # td_stop PID
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$1" 2>/dev/null || true
}
api() {  # api ADMIN_PORT TOKEN METHOD PATH [JSON]
  local port=$1 token=$2 method=$3 path=$4 body=${5:-}
  curl -sS -f -X "$method" -H "Authorization: Bearer $token" ${body:+-H 'Content-Type: application/json' -d "$body"} \
       "http://127.0.0.1:$port/api/v1$path"
}
td_packages() {  # td_packages ADMIN TOKEN: import the peers' package directory unchanged, activate both packages
  api "$1" "$2" POST /packages/import "{\"dir\": \"$OCS_DOWNLOAD\"}" > /dev/null
  api "$1" "$2" POST "/packages/$PKG/activate" > /dev/null
  api "$1" "$2" POST "/packages/$PKG16/activate" > /dev/null
}
fleet() { java -Xmx2g -jar "$PERF_JAR" "$@"; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
note() {  # note KEY VALUE-JSON: one line of run.jsonl
  printf '{"key":"%s","time":"%s","value":%s}\n' "$1" "$(date +%FT%T)" "$2" >> "$OUT/run.jsonl"
}

{
  echo "{\"stamp\":\"$STAMP\",\"nproc\":$(nproc),\"cpu\":\"$(lscpu | sed -n 's/^Model name: *//p')\","
  echo "\"kernel\":\"$(uname -r)\",\"os\":\"$(. /etc/os-release; echo "$PRETTY_NAME")\","
  echo "\"java\":\"$(java -version 2>&1 | head -1 | tr -d '"')\",\"mem_gib\":$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo),"
  echo "\"commit\":\"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\","
  echo "\"settings\":{\"runs\":$RUNS,\"warmup\":$WARMUP,\"dur_ocs\":$DUR_OCS,\"dur_static\":$DUR_STATIC,\"ocs_devices\":$OCS_DEVICES,"
  echo "\"scale_devices\":$SCALE_DEVICES,\"max_devices\":$MAX_DEVICES,\"fleet_agents\":$FLEET_AGENTS,\"idle\":$IDLE_CONNECTIONS,\"heap\":\"$SERVER_HEAP\"}}"
} | tr -d '\n' > "$OUT/machine.json"

export OUT_DIR_BASE="$OUT" BODY_DIR="$OUT/bodies"
bench() { "$BENCH/bench.sh" "$@" 2>&1 | tee -a "$OUT/bench.log" | grep -E "run [0-9]+:|ERROR|WARNING" >&2 || true; }

# ------------------------------------------------------------------ peers
if [ "$PEERS" = 1 ]; then
  log "peers: OCS 2.8.1 (Apache + mod_perl + MariaDB) and nginx"
  "$BENCH/setup-ocs.sh" install > "$OUT/setup-ocs.log" 2>&1
  # XML::Simple (OCS's request parser) needs XML::Parser or XML::SAX::Expat; without --install-recommends
  # neither may be there and every OCS request is a 500 ("XMLin() requires either XML::SAX or XML::Parser").
  apt_get install -y -qq --no-install-recommends libxml-parser-perl >> "$OUT/setup-ocs.log" 2>&1
  "$BENCH/setup-ocs.sh" all >> "$OUT/setup-ocs.log" 2>&1 || die "OCS setup failed (see $OUT/setup-ocs.log)"
  "$BENCH/setup-nginx.sh" all > "$OUT/setup-nginx.log" 2>&1 || die "nginx setup failed (see $OUT/setup-nginx.log)"
  log "OCS: register, PROLOG at 1,000 and $OCS_DEVICES devices, results, inventory, fragments, info"
  DEVICES_LARGE=$OCS_DEVICES bench ocs
  log "nginx: fragments, info over TLS"
  bench nginx
  log "loopback ceiling"
  bench loopback
else
  [ -f "$OCS_DOWNLOAD/$PKG/info" ] || die "PEERS=0 needs the benchmark packages in $OCS_DOWNLOAD (run once with PEERS=1)"
fi

# ------------------------------------------------------------------ teledeploy, same workload as OCS
log "teledeploy: the same workload as OCS"
td_start main 18280 18643 18281
MAIN_PID=$TD_PID MAIN_TOKEN=$TD_TOKEN
note startup-empty "\"$(grep 'started in' "$OUT/td-main/server.log" | tail -1 | sed 's/.*started in \([0-9]*\) ms.*/\1/')\""
td_packages 18281 "$MAIN_TOKEN"
ASSIGN="curl -sS -f -H 'Authorization: Bearer $MAIN_TOKEN' -H 'Content-Type: application/json' -d '{\"where\": \"tag = BENCH\"}' http://127.0.0.1:18281/api/v1/packages/$PKG/deploy"
RESET="curl -sS -f -H 'Authorization: Bearer $MAIN_TOKEN' -H 'Content-Type: application/json' -d '{\"status\": \"*\"}' http://127.0.0.1:18281/api/v1/packages/$PKG/reset"
TD_TARGET=127.0.0.1:18280,18643
SERVER_PIDS="java=$MAIN_PID" ASSIGN_CMD="$ASSIGN" RESET_CMD="$RESET" DEVICES_LARGE=$OCS_DEVICES bench "$TD_TARGET"

# ------------------------------------------------------------------ teledeploy at scale
log "teledeploy: register up to $SCALE_DEVICES devices (fleet simulator), PROLOG / results / inventory at scale"
fleet register --server http://127.0.0.1:18280/ocsinventory --from "$OCS_DEVICES" \
  --count $((SCALE_DEVICES - OCS_DEVICES)) --concurrency 128 --server-pid "$MAIN_PID" --out "$OUT/fleet-register-scale.json" > /dev/null
eval "$ASSIGN" > /dev/null
SERVER_PIDS="java=$MAIN_PID" ASSIGN_CMD="" RESET_CMD="$RESET" DEVICES_LARGE=$SCALE_DEVICES PROLOG_CONC=256 \
  PHASES="prolog20k download inventory" OUT_DIR_BASE="$OUT/scale" bench "$TD_TARGET"

log "teledeploy: $IDLE_CONNECTIONS idle keep-alive agent connections"
fleet idle --server http://127.0.0.1:18280/ocsinventory --connections "$IDLE_CONNECTIONS" --hold 30 \
  --server-pid "$MAIN_PID" --admin http://127.0.0.1:18281 --token-file "$OUT/td-main/var/admin.token" \
  --out "$OUT/fleet-idle.json" > /dev/null || log "WARNING: not every idle connection was served (see fleet-idle.json)"

log "teledeploy: $FLEET_AGENTS agents through the whole cycle (fleet simulator)"
fleet cycle --server http://127.0.0.1:18280/ocsinventory --admin http://127.0.0.1:18281 \
  --token-file "$OUT/td-main/var/admin.token" --ca "$OUT/td-main/var/tls/cacert.pem" --prefix fleet \
  --agents "$FLEET_AGENTS" --concurrency 512 --package-size 65536 --fragment-size 32k \
  --server-pid "$MAIN_PID" --out "$OUT/fleet-cycle.json" > /dev/null || log "WARNING: the fleet cycle lost results or failed (see fleet-cycle.json)"

log "teledeploy: register up to $MAX_DEVICES devices, restart with -Xmx$SERVER_HEAP, inventory and PROLOG at 1M"
fleet register --server http://127.0.0.1:18280/ocsinventory --from "$SCALE_DEVICES" \
  --count $((MAX_DEVICES - SCALE_DEVICES)) --concurrency 256 --server-pid "$MAIN_PID" --out "$OUT/fleet-register-max.json" > /dev/null
eval "$ASSIGN" > /dev/null
td_stop "$MAIN_PID"
TD_STATE="$OUT/td-main/var" td_start main 18280 18643 18281
MAIN_PID=$TD_PID
note startup-max "\"$(grep 'started in' "$OUT/td-main/server.log" | tail -1 | sed 's/.*started in \([0-9]*\) ms.*/\1/')\""
note rss-max-idle "$(rss_mib "$MAIN_PID")"
SERVER_PIDS="java=$MAIN_PID" ASSIGN_CMD="" RESET_CMD="$RESET" DEVICES_LARGE=$MAX_DEVICES PROLOG_CONC=256 \
  PHASES="inventory prolog20k" OUT_DIR_BASE="$OUT/max" bench "$TD_TARGET"
note rss-max-after "$(rss_mib "$MAIN_PID")"
curl -s -H "Authorization: Bearer $MAIN_TOKEN" http://127.0.0.1:18281/metrics > "$OUT/metrics-max.txt" || true
td_stop "$MAIN_PID"

# ------------------------------------------------------------------ TLS levers: RSA certificate, JDK provider
log "teledeploy: info over HTTPS with nginx's RSA-2048 certificate, and with the JDK's TLS instead of BoringSSL"
# With the admin's own certificate the activation check trusts the JVM's trust store: give it nginx's certificate.
rm -f "$OUT/rsa-trust.p12"
keytool -importcert -noprompt -alias nginx -file /var/lib/ocs-anchors/tls/server.crt -keystore "$OUT/rsa-trust.p12" \
  -storetype PKCS12 -storepass changeit > /dev/null 2>&1
TD_JAVA_OPTS="-Djavax.net.ssl.trustStore=$OUT/rsa-trust.p12 -Djavax.net.ssl.trustStorePassword=changeit" \
  td_start rsa 18380 18743 18381 TELEDEPLOY_TLS_CERT=/var/lib/ocs-anchors/tls/server.crt TELEDEPLOY_TLS_KEY=/var/lib/ocs-anchors/tls/server.key
td_packages 18381 "$TD_TOKEN"
SERVER_PIDS="java=$TD_PID" PHASES=info bench 127.0.0.1:18380,18743
td_stop "$TD_PID"
td_start jdk 18480 18843 18481 TELEDEPLOY_TLS_PROVIDER=jdk
td_packages 18481 "$TD_TOKEN"
SERVER_PIDS="java=$TD_PID" PHASES=info bench 127.0.0.1:18480,18843
td_stop "$TD_PID"

# ------------------------------------------------------------------ JMH
if [ "$JMH" = 1 ] && [ -x "$PERF_DIR/jmh.sh" ]; then
  log "JMH benchmarks"
  "$PERF_DIR/jmh.sh" "$OUT/jmh" > "$OUT/jmh.log" 2>&1 || log "WARNING: JMH failed (see $OUT/jmh.log)"
fi

log "report"
python3 "$PERF_DIR/report.py" "$OUT" > "$PERF_DIR/RESULTS.md"
# Keep the figures, drop what can be rebuilt and is large: request bodies, databases, package copies.
rm -rf "$OUT/bodies" "$OUT"/*/bodies "$OUT"/td-*/var "$OUT/rsa-trust.p12"
log "done in $(( ($(date +%s) - START) / 60 )) min: perf/RESULTS.md"
