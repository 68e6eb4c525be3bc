#!/bin/bash
# Runs every JMH benchmark of perf/target/teledeploy-perf.jar (build it first: mvn -B package -pl perf -am
# -DskipTests) with short settings, about 3 minutes on 2 cores, and prints a table. perf/JMH.md explains it.
#
#   perf/jmh.sh [OUT] [more JMH arguments, e.g. a benchmark regex]
#
# OUT (default perf/results/latest) receives jmh.json (JMH's result file), jmh.log (its output) and table.txt.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/perf/results/latest}"
shift || true
jar="$root/perf/target/teledeploy-perf.jar"
java="${JAVA:-java}"

if [[ ! -f "$jar" ]]; then
    echo "jmh.sh: $jar missing (build it: mvn -B package -pl perf -am -DskipTests)" >&2
    exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# 16 runs (benchmarks x parameters) of one fork each: 3 x 1 s warmup, 4 x 1 s measurement, throughput only
# (time per operation is its inverse; the table shows both), allocation per operation from -prof gc.
"$java" -cp "$jar" org.openjdk.jmh.Main 'org\.teledeploy\.perf\.jmh\.' \
    -f 1 -wi 3 -w 1s -i 4 -r 1s -bm thrpt -prof gc -foe true \
    -rf json -rff "$out/jmh.json" "$@" \
    2>&1 | tee "$out/jmh.log" | grep --line-buffered -E '^# (Benchmark|Parameters): ' | sed 's/^# /  /'

python3 - "$out/jmh.json" <<'EOF' | tee "$out/table.txt"
import json, os, platform, subprocess, sys

runs = json.load(open(sys.argv[1]))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print("%s, %d cores, load %s, %s %s" % (cpu, os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg()),
      runs[0]["vmName"] if runs else "?", runs[0]["jdkVersion"] if runs else ""))
print("%-38s %-22s %14s %8s %12s %10s" % ("benchmark", "params", "throughput", "+-%", "us/op", "B/op"))
for r in runs:
    name = r["benchmark"].replace("org.teledeploy.perf.jmh.", "")
    params = ",".join("%s=%s" % kv for kv in sorted((r.get("params") or {}).items())
                      if kv[0] not in ("packages", "packsPerDevice"))
    m = r["primaryMetric"]
    score, err, unit = m["score"], m["scoreError"], m["scoreUnit"]
    per_second = score * (1e6 if unit == "ops/us" else 1e3 if unit == "ops/ms" else 1)
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    mib = "Fragmentation" in name  # one operation = one MiB
    shown = "%.0f MiB/s" % per_second if mib else "%.0f ops/s" % per_second
    rel = 100 * err / score if score and err == err else float("nan")
    per_op = "" if mib else "%.2f" % (1e6 / per_second)
    print("%-38s %-22s %14s %7.0f%% %12s %10s" % (name, params, shown, rel, per_op,
          "" if alloc is None else "%.0f" % alloc))
EOF
echo "results: $out/jmh.json"
