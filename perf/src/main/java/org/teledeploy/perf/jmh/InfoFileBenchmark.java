package org.teledeploy.perf.jmh;

import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.teledeploy.packages.DigestAlgorithm;
import org.teledeploy.packages.FragmentProtocol;
import org.teledeploy.packages.InfoFile;
import org.teledeploy.packages.Notification;
import org.teledeploy.packages.PackageAction;

/**
 * The {@code info} file's bytes ({@link InfoFile#toBytes}) for a typical package: a Windows installer run with a
 * user notification (text to escape, countdown, abort allowed) and a done message. Written at build and edit
 * time; the download listener serves the cached bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InfoFileBenchmark {

    final InfoFile info = new InfoFile("1764000000", 5, PackageAction.EXECUTE, "5d41402abc4b2a76b9719d911017c592",
            FragmentProtocol.HTTP, 16, DigestAlgorithm.MD5,
            "msiexec /i \"Acme Tools 4.2.msi\" /qn /norestart && reg import settings.reg",
            new Notification("Acme Tools 4.2 will be installed: save your work & close \"Acme\".", OptionalInt.of(300),
                    true, false, "Acme Tools 4.2 is installed."));

    @Benchmark
    public byte[] toBytes() {
        return info.toBytes();
    }
}
