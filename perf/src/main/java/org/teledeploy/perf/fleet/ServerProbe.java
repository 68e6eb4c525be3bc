package org.teledeploy.perf.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the server process costs, read from {@code /proc/<pid>} (RSS, peak RSS, threads, open files) and from its
 * {@code /metrics} (JVM heap in use), before and after a run.
 */
public final class ServerProbe {

    private final long pid;
    private final AdminClient admin;

    /** @param pid 0 to skip the /proc figures; admin null to skip the heap */
    public ServerProbe(long pid, AdminClient admin) {
        this.pid = pid;
        this.admin = admin;
    }

    public Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (pid > 0) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        m.put("rss_mib", kib(line) / 1024.0);
                    } else if (line.startsWith("VmHWM:")) {
                        m.put("peak_rss_mib", kib(line) / 1024.0);
                    } else if (line.startsWith("Threads:")) {
                        m.put("threads", Long.parseLong(line.substring(8).trim()));
                    }
                }
                try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    m.put("fds", fds.count());
                }
            } catch (IOException | RuntimeException e) {
                m.put("proc_error", String.valueOf(e.getMessage()));
            }
        }
        if (admin != null) {
            try {
                m.put("heap_used_mib", Math.round(heapUsed(admin.text("/metrics")) / 1048576.0 * 10) / 10.0);
            } catch (IOException | RuntimeException e) {
                m.put("metrics_error", String.valueOf(e.getMessage()));
            }
        }
        return m;
    }

    static double heapUsed(String prometheus) {
        double sum = 0;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }
}
