package org.teledeploy.perf.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.teledeploy.packages.DigestAlgorithm;

/**
 * The JMH benchmarks' operations timed by the CPU time of the calling thread instead of the wall clock: on a
 * machine shared with other work (two cores, load above the core count) a thread waits for a core most of the
 * time, and JMH's throughput measures that wait as much as the code; the CPU time a thread spent per operation
 * barely moves. Same states, same methods; one thread, 2 s of CPU warm-up and 1 s measured per operation. Work done for
 * the operation on other threads (the store writer committing contact times) is not counted.
 *
 * <pre>java -cp perf/target/teledeploy-perf.jar org.teledeploy.perf.jmh.CpuTimeMain [devices]</pre>
 */
public final class CpuTimeMain {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static volatile Object sink;

    private CpuTimeMain() {}

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        DecodeBenchmark decode = new DecodeBenchmark();
        decode.setUp();
        ReplyBenchmark reply = new ReplyBenchmark();
        reply.packs = 3;
        InfoFileBenchmark info = new InfoFileBenchmark();
        FragmentationBenchmark md5 = fragmentation(DigestAlgorithm.MD5);
        FragmentationBenchmark sha1 = fragmentation(DigestAlgorithm.SHA1);
        PrologBenchmark prolog = new PrologBenchmark();
        prolog.devices = devices;
        prolog.packages = 50;
        prolog.packsPerDevice = 3;
        prolog.setUp();
        try {
            List<String> lines = new ArrayList<>();
            lines.add(time("DecodeBenchmark.prolog", 1, decode::prolog));
            lines.add(time("DecodeBenchmark.inventoryTypical", 1, decode::inventoryTypical));
            lines.add(time("DecodeBenchmark.inventoryAgent", 1, decode::inventoryAgent));
            lines.add(time("ReplyBenchmark.xml packs=3", 1, reply::xml));
            lines.add(time("ReplyBenchmark.zlib packs=3", 1, reply::zlib));
            lines.add(time("InfoFileBenchmark.toBytes", 1, info::toBytes));
            lines.add(time("PrologBenchmark.decision devices=" + devices, 1, prolog::decision));
            lines.add(time("PrologBenchmark.wire devices=" + devices, 1, prolog::wire));
            lines.add(time("FragmentationBenchmark.digest MD5 (1 MiB)", FragmentationBenchmark.MIB, md5::digest));
            lines.add(time("FragmentationBenchmark.digest SHA1 (1 MiB)", FragmentationBenchmark.MIB, sha1::digest));
            System.out.printf("%-48s %12s %12s %12s%n", "operation", "cpu us/op", "wall us/op", "ops/cpu-s");
            lines.forEach(System.out::println);
        } finally {
            prolog.tearDown();
            md5.tearDown();
            sha1.tearDown();
        }
    }

    private static FragmentationBenchmark fragmentation(DigestAlgorithm algorithm) throws Exception {
        FragmentationBenchmark b = new FragmentationBenchmark();
        b.algorithm = algorithm;
        b.setUp();
        return b;
    }

    /**
     * Runs {@code op} for 2 s of this thread's CPU time (the JIT compiles meanwhile, on threads that may be waiting
     * for a core as well), then for 1 s more while counting; each call is {@code opsPerCall} operations.
     */
    private static String time(String name, int opsPerCall, Callable<?> op) throws Exception {
        int batch = batchSize(op);
        run(op, batch, 2_000_000_000L);
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long calls = run(op, batch, 1_000_000_000L);
        double ops = (double) calls * opsPerCall;
        double cpuMicros = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / ops;
        double wallMicros = (System.nanoTime() - wall) / 1e3 / ops;
        return String.format("%-48s %12.2f %12.2f %12.0f", name, cpuMicros, wallMicros, 1e6 / cpuMicros);
    }

    /** Calls between two reads of the CPU clock: about 200 us of work, so that reading it costs nothing. */
    private static int batchSize(Callable<?> op) throws Exception {
        long start = System.nanoTime();
        sink = op.call();
        long once = Math.max(1, System.nanoTime() - start);
        return (int) Math.max(1, Math.min(1024, 200_000 / once));
    }

    private static long run(Callable<?> op, int batch, long cpuNanos) throws Exception {
        long end = THREADS.getCurrentThreadCpuTime() + cpuNanos;
        long calls = 0;
        do {
            for (int i = 0; i < batch; i++) {
                sink = op.call();
            }
            calls += batch;
        } while (THREADS.getCurrentThreadCpuTime() < end);
        return calls;
    }
}
