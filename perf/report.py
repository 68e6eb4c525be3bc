#!/usr/bin/python3
"""Writes perf/RESULTS.md (to stdout) from one perf/run.sh result directory.

  report.py perf/results/<stamp>

Reads the bench.sh result directories below it (results.jsonl, summarised with ../shared/bench/summarize.py),
the fleet simulator's JSON files, run.jsonl, machine.json and jmh/jmh.json. Every figure is the median of the
runs; ratios are teledeploy / peer (for memory: peer / teledeploy). Stdlib only.
"""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.environ.get("BENCH_DIR") or os.path.join(HERE, "..", "..", "shared", "bench")
sys.path.insert(0, BENCH)
import summarize  # noqa: E402  (../shared/bench/summarize.py)

TARGETS = {"ocs": "ocs", "nginx": "nginx", "loopback": "loopback", "127.0.0.1:18280,18643": "td",
           "127.0.0.1:18380,18743": "td-rsa", "127.0.0.1:18480,18843": "td-jdk"}


def load_figures(out):
    figs = {}
    for f in glob.glob(os.path.join(out, "**", "results.jsonl"), recursive=True):
        recs = summarize.load([f])
        summ, notes, meta, regs = summarize.summarize(recs)
        rel = os.path.relpath(f, out).split(os.sep)
        sub = rel[0] + ":" if rel[0] in ("scale", "max") else ""  # the same labels at other registry sizes
        for s in summ:
            figs[(TARGETS.get(s["target"], s["target"]), sub + s["figure"])] = s
        for r in regs:
            figs[(TARGETS.get(r.get("target"), r.get("target")), r["label"])] = {"register": r.get("register")}
    return figs


def med(s, key):
    if not s or not s.get(key):
        return None
    return s[key]["median"]


def fmt(v, nd=0):
    if v is None:
        return "n/a"
    return ("{:,.%df}" % nd).format(v)


def ratio(a, b, nd=1):
    if a is None or b is None or b == 0:
        return "n/a"
    return "%s×" % fmt(a / b, nd)


def verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def run_notes(out):
    notes = {}
    try:
        with open(os.path.join(out, "run.jsonl")) as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    notes[d["key"]] = d["value"]
    except OSError:
        pass
    return notes


def peak_rss(s, group):
    if not s:
        return None
    v = (s.get("peak_rss_mib") or {}).get(group)
    return v["median"] if v else None


def main(out):
    figs = load_figures(out)
    machine = load_json(os.path.join(out, "machine.json")) or {}
    notes = run_notes(out)
    g = lambda t, label: figs.get((t, label))  # noqa: E731
    st = machine.get("settings", {})
    ocs_n = st.get("ocs_devices", 5000)
    scale = st.get("scale_devices", 100000)
    top = st.get("max_devices", 1000000)
    lines = []
    w = lines.append
    w("# Performance results: teledeploy against OCS 2.8.1 and nginx, side by side")
    w("")
    w("Written by `perf/run.sh` (run `%s`, commit `%s`); raw data in `perf/results/%s/`. One machine, one run: the"
      % (machine.get("stamp", "?"), machine.get("commit", "?"), machine.get("stamp", "?")))
    w("peers and teledeployd were loaded one after the other by the same wrk scripts (`../shared/bench/bench.sh`),")
    w("on 127.0.0.1. Figures are medians of %s runs (after a warm-up); ratios are teledeploy / peer."
      % st.get("runs", "?"))
    w("")
    w("| Machine | |")
    w("|---|---|")
    w("| CPU | %s × %s (wrk, the server and, for OCS, MariaDB share them) |" % (machine.get("nproc", "?"), machine.get("cpu", "?")))
    w("| OS | %s, kernel %s, %s GiB RAM |" % (machine.get("os", "?"), machine.get("kernel", "?"), machine.get("mem_gib", "?")))
    w("| Java | %s, teledeployd `-Xmx%s` |" % (machine.get("java", "?"), st.get("heap", "?")))
    w("| Peers | OCS Inventory NG 2.8.1 (Debian: Apache 2.4 prefork + mod_perl + MariaDB, stock settings), nginx 1.22 (sendfile, TLS with OpenSSL 3, RSA-2048) |")
    w("")

    # ---------------------------------------------------------------- protocol
    w("## Agent protocol (wrk + `lua/ocs_post.lua`: every reply inflated and checked)")
    w("")
    w("| Workload | Peer: OCS 2.8.1 | teledeploy | Ratio | Target | |")
    w("|---|---|---|---|---|---|")
    ocs_p = g("ocs", "prolog-%ddev-c256" % ocs_n)
    td_p = g("td", "scale:prolog-%ddev-c256" % scale)
    ok = None
    if ocs_p and td_p:
        ok = med(td_p, "rps") >= 50 * med(ocs_p, "rps") and med(td_p, "p99_ms") < 10
    w("| PROLOG, c256, one package assigned to every device (OCS %s devices, teledeploy %s) | %s req/s, p99 %s ms | %s req/s, p99 %s ms | %s | ≥ 50×, p99 < 10 ms | %s |" % (
        fmt(ocs_n), fmt(scale), fmt(med(ocs_p, "rps")), fmt(med(ocs_p, "p99_ms")), fmt(med(td_p, "rps")),
        fmt(med(td_p, "p99_ms"), 1), ratio(med(td_p, "rps"), med(ocs_p, "rps")), verdict(ok)))
    for n in (1000, ocs_n):
        for c in (64, 256):
            a, b = g("ocs", "prolog-%ddev-c%d" % (n, c)), g("td", "prolog-%ddev-c%d" % (n, c))
            if a or b:
                w("| PROLOG, c%d, %s devices (same data) | %s req/s, p99 %s ms | %s req/s, p99 %s ms | %s | | |" % (
                    c, fmt(n), fmt(med(a, "rps")), fmt(med(a, "p99_ms")), fmt(med(b, "rps")), fmt(med(b, "p99_ms"), 1),
                    ratio(med(b, "rps"), med(a, "rps"))))
    tdm = g("td", "max:prolog-%ddev-c256" % top)
    if tdm:
        w("| PROLOG, c256, %s devices | | %s req/s, p99 %s ms | | | |" % (fmt(top), fmt(med(tdm, "rps")), fmt(med(tdm, "p99_ms"), 1)))
    ocs_d = g("ocs", "download-report-c64")
    tdd = g("td", "scale:download-report-c64") or g("td", "download-report-c64")
    ok = None if not (ocs_d and tdd) else med(tdd, "rps") >= 20 * med(ocs_d, "rps")
    w("| DOWNLOAD result reports, c64, durable before the 200 (OCS %s devices, teledeploy %s) | %s req/s | %s req/s, p99 %s ms | %s | ≥ 20× | %s |" % (
        fmt(ocs_n), fmt(scale), fmt(med(ocs_d, "rps")), fmt(med(tdd, "rps")), fmt(med(tdd, "p99_ms"), 1), ratio(med(tdd, "rps"), med(ocs_d, "rps")), verdict(ok)))
    ocs_i = g("ocs", "inventory-update-c64")
    inv = {sub: g("td", (sub + ":" if sub else "") + "inventory-update-c64") for sub in ("", "scale", "max")}
    inv = {k: v for k, v in inv.items() if v}
    sizes = {"": ocs_n, "scale": scale, "max": top}
    base = med(inv.get(""), "rps")
    worst = min([med(v, "rps") for v in inv.values() if med(v, "rps")] or [0]) or None
    ok = None
    if ocs_i and base:
        ok = base >= 50 * med(ocs_i, "rps") and worst is not None and worst >= 0.8 * base
    for sub in ("", "scale", "max"):
        if sub in inv:
            w("| INVENTORY update of a known device, c64, %s devices | %s req/s | %s req/s, p99 %s ms | %s | ≥ 50×, flat | %s |" % (
                fmt(sizes[sub]), fmt(med(ocs_i, "rps")) + (" (at %s)" % fmt(ocs_n)), fmt(med(inv[sub], "rps")),
                fmt(med(inv[sub], "p99_ms"), 1), ratio(med(inv[sub], "rps"), med(ocs_i, "rps")),
                verdict(ok) if sub == "max" else ""))
    for label in sorted({k[1] for k in figs if k[1].startswith("register-new")}):
        for t in ("ocs", "td"):
            r = (g(t, label) or {}).get("register") or {}
            if r:
                w("| %s registration, %s (python client, c16) | %s | | | | |" % (
                    {"ocs": "OCS", "td": "teledeploy"}[t], label[len("register-new-"):], "%s dev/s" % fmt(r.get("rps"))))
    for name, label in (("fleet-register-scale.json", "to %s" % fmt(scale)), ("fleet-register-max.json", "to %s" % fmt(top))):
        d = load_json(os.path.join(out, name))
        if d:
            w("| teledeploy registration of new devices %s (fleet simulator, c%s) | | %s dev/s | | | |" % (
                label, d.get("concurrency"), fmt(d.get("per_s"))))
    w("")

    # ---------------------------------------------------------------- static
    w("## Package files (wrk + `lua/static.lua`)")
    w("")
    w("| Workload | Apache (OCS alias) | nginx | teledeploy | Ratio to the better | Target | |")
    w("|---|---|---|---|---|---|---|")
    for label, unit, key in (("frag-1m-http-c16", "MiB/s", "mib_s"), ("frag-1m-http-c128", "MiB/s", "mib_s"),
                             ("frag-16m-http-c16", "MiB/s", "mib_s"), ("frag-16m-http-c128", "MiB/s", "mib_s"),
                             ("info-https-keepalive-c64", "req/s", "rps"), ("info-https-newconn-c64", "req/s", "rps")):
        a, n, t = med(g("ocs", label), key), med(g("nginx", label), key), med(g("td", label), key)
        best = max([v for v in (a, n) if v] or [0]) or None
        if label.startswith("info"):
            best = n or best
        ok = None if best is None or t is None else t >= best
        w("| %s | %s | %s | %s %s | %s | ≥ 1.0× | %s |" % (label, fmt(a), fmt(n), fmt(t), unit,
                                                          ratio(t, best, 2), verdict(ok)))
    w("")
    w("TLS levers, info file over HTTPS, c64 (teledeploy default: BoringSSL, generated ECDSA P-256 certificate):")
    w("")
    w("| Variant | keep-alive req/s | new TLS connection req/s |")
    w("|---|---|---|")
    for t, name in (("nginx", "nginx, OpenSSL, RSA-2048"), ("td", "teledeploy, BoringSSL, ECDSA P-256 (default)"),
                    ("td-rsa", "teledeploy, BoringSSL, nginx's RSA-2048 certificate"),
                    ("td-jdk", "teledeploy, JDK TLS, ECDSA P-256")):
        w("| %s | %s | %s |" % (name, fmt(med(g(t, "info-https-keepalive-c64"), "rps")),
                               fmt(med(g(t, "info-https-newconn-c64"), "rps"))))
    lp = g("loopback", "iperf3-loopback-1stream")
    w("")
    w("Loopback ceiling: iperf3 one stream %s MiB/s; curl one stream from nginx %s MiB/s." % (
        fmt(med(lp, "mib_s")), fmt(med(g("loopback", "curl-nginx-16m-1stream"), "mib_s"))))
    w("")

    # ---------------------------------------------------------------- memory and scale
    w("## Memory, scale, connections")
    w("")
    w("| Figure | Peer | teledeploy | Target | |")
    w("|---|---|---|---|---|")
    ocs_rss = None
    if ocs_p:
        ocs_rss = (peak_rss(ocs_p, "apache") or 0) + (peak_rss(ocs_p, "mariadb") or 0)
    td_rss = peak_rss(td_p, "java")
    ok = None if not (ocs_rss and td_rss) else td_rss * 10 <= ocs_rss
    w("| Peak RSS under the PROLOG load (c256) | OCS Apache + MariaDB %s MiB | %s MiB (%s devices) | ≤ 1/10 | %s |" % (
        fmt(ocs_rss), fmt(td_rss), fmt(scale), verdict(ok)))
    heap = None
    try:
        with open(os.path.join(out, "metrics-max.txt")) as f:
            heap = sum(float(l.rsplit(" ", 1)[1]) for l in f if l.startswith("jvm_memory_used_bytes{")
                       and 'area="heap"' in l) / 1048576
    except (OSError, ValueError, IndexError):
        pass
    w("| %s registered devices, each assigned the package, `-Xmx%s` | | heap in use %s MiB after the load, RSS %s MiB idle / %s MiB after | fits | %s |" % (
        fmt(top), st.get("heap", "?"), fmt(heap), fmt(notes.get("rss-max-idle")), fmt(notes.get("rss-max-after")),
        verdict(None if heap is None else True)))
    w("| Start-up time | | %s ms empty, %s ms with %s devices | recorded | |" % (
        notes.get("startup-empty", "n/a"), notes.get("startup-max", "n/a"), fmt(top)))
    idle = load_json(os.path.join(out, "fleet-idle.json"))
    if idle:
        h = idle.get("server_holding", {})
        w("| %s idle keep-alive agent connections, held %s s | | %s served after the idle time on the same connection; RSS %s → %s MiB, %s fds | held | %s |" % (
            fmt(idle.get("connections")), idle.get("hold_s"), fmt(idle.get("served_on_same_connection")),
            fmt(idle.get("server_before", {}).get("rss_mib")), fmt(h.get("rss_mib")), fmt(h.get("fds")),
            verdict(idle.get("served_on_same_connection") == idle.get("connections"))))
    w("")

    # ---------------------------------------------------------------- fleet
    cyc = load_json(os.path.join(out, "fleet-cycle.json"))
    if cyc:
        w("## Fleet simulator: the whole cycle")
        w("")
        r = (cyc.get("rounds") or [{}])[0]
        req = cyc.get("requests", {})
        w("%s new agents, %s at a time, each: PROLOG → INVENTORY (new device, joins the dynamic group) → PROLOG →"
          % (fmt(r.get("agents")), cyc.get("concurrency")))
        w("info over HTTPS (a new TLS connection, CA verified) → fragments over HTTP (MD5 of the package checked) →")
        w("DOWNLOAD report; then every acknowledged result looked up through the admin API.")
        w("")
        w("| Agents | Seconds | Agents/s | Results acknowledged | Lost | Duplicated | Statistics add up | Request errors |")
        w("|---|---|---|---|---|---|---|---|")
        w("| %s | %s | %s | %s | **%s** | **%s** | %s | %s |" % (
            fmt(r.get("agents")), fmt(r.get("seconds"), 1), fmt(r.get("agents_per_s")), fmt(cyc.get("acked")),
            cyc.get("lost"), cyc.get("duplicated"), r.get("statistics_add_up"), fmt(cyc.get("request_errors"))))
        w("")
        w("| Request | Answered | per s | p50 ms | p99 ms |")
        w("|---|---|---|---|---|")
        for k in ("prolog", "inventory", "connect.tls", "info", "fragment", "result"):
            x = req.get(k)
            if x:
                w("| %s | %s | %s | %s | %s |" % (k, fmt(x["answered"]), fmt(x["per_s"]), fmt(x["p50_ms"], 1),
                                                 fmt(x["p99_ms"], 1)))
        w("")

    # ---------------------------------------------------------------- JMH
    jmh = load_json(os.path.join(out, "jmh", "jmh.json"))
    if jmh:
        w("## JMH (hot paths in isolation, one fork, short iterations: indicative on 2 shared cores)")
        w("")
        w("| Benchmark | Score | Error | Unit |")
        w("|---|---|---|---|")
        for b in jmh:
            pm = b.get("primaryMetric", {})
            params = ",".join("%s=%s" % kv for kv in (b.get("params") or {}).items())
            score, err, unit = pm.get("score"), pm.get("scoreError"), pm.get("scoreUnit", "")
            if unit == "ops/us":  # jmh.sh reports per microsecond: show per second
                score, err, unit = score * 1e6, err * 1e6, "ops/s"
            if "Fragmentation" in b["benchmark"] and unit == "ops/s":
                unit = "MiB/s (1 op = 1 MiB)"
            w("| %s%s | %s | ± %s | %s |" % (b["benchmark"].split(".")[-2] + "." + b["benchmark"].split(".")[-1],
                                           " (%s)" % params if params else "", fmt(score), fmt(err), unit))
        w("")
    w("## Targets missed, and why")
    w("")
    w(open(os.path.join(HERE, "RESULTS-notes.md")).read().rstrip() if os.path.exists(os.path.join(HERE, "RESULTS-notes.md")) else "(see perf/README.md)")
    w("")
    w("## How to read this")
    w("")
    w("- Same load generator, same request bodies, same files: wrk with the shared Lua scripts for every server.")
    w("  CPU is shared: on 2 cores wrk uses a large part of the machine for the fast servers (its CPU is in")
    w("  `results.jsonl`), so the teledeploy and nginx figures are \"server + client on 2 cores\".")
    w("- OCS figures are lower bounds of its cost: stock Debian settings (PEERS.md), 20k devices in PEERS.md showed")
    w("  the same PROLOG rate as 1k; OCS registration is the slow part, so this run registers %s devices in OCS."
      % fmt(ocs_n))
    w("- Latency is closed-loop (wrk 4): under overload p99 shows queueing.")
    w("- `perf/README.md` explains each workload and how to run one alone.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.stdout.write(main(sys.argv[1]))
