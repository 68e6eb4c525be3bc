package org.teledeploy.perf.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.teledeploy.packages.DigestAlgorithm;
import org.teledeploy.packages.Fragmentation;
import org.teledeploy.packages.PackageDirectory;

/**
 * A package build's cut of a {@value #MIB} MiB archive into {@link Fragmentation#DEFAULT} (4 MiB) fragments with
 * its digest, MD5 or SHA1. {@code digest} is the CPU bound: the whole archive hashed from memory in the 1 MiB
 * direct buffers the cut uses; {@code cut} is the real {@link PackageDirectory#cut} from a temporary file (in the
 * page cache after the first round) into fragment files, each fsync'd, in {@code java.io.tmpdir}. One operation
 * is one MiB, so ops/s read as MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FragmentationBenchmark {

    static final int MIB = 64;
    private static final int BUFFER = 1 << 20;

    @Param({"MD5", "SHA1"})
    public DigestAlgorithm algorithm;

    byte[] archive;
    ByteBuffer buffer;
    Path dir;
    Path archiveFile;
    Path staging;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        archive = new byte[MIB << 20];
        new Random(7).nextBytes(archive); // incompressible, like a zip or tar.gz
        buffer = ByteBuffer.allocateDirect(BUFFER);
        dir = Files.createTempDirectory("teledeploy-jmh-cut");
        archiveFile = Files.write(dir.resolve("archive.tar.gz"), archive);
        staging = Files.createDirectory(dir.resolve("staging"));
    }

    /** Each cut writes into an empty staging directory, as a build does. */
    @TearDown(Level.Invocation)
    public void emptyStaging() throws IOException {
        deleteTree(staging, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        deleteTree(dir, true);
    }

    /** The digest over the whole archive, from memory, fragment by fragment, 1 MiB at a time. */
    @Benchmark
    @OperationsPerInvocation(MIB)
    public String digest() {
        MessageDigest digest = algorithm.newDigest();
        long offset = 0;
        for (long size : Fragmentation.DEFAULT.split(archive.length)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(left, BUFFER);
                buffer.clear();
                buffer.put(archive, (int) offset, n).flip();
                digest.update(buffer);
                offset += n;
                left -= n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The build's cut: read, hash, write and fsync every fragment. */
    @Benchmark
    @OperationsPerInvocation(MIB)
    public PackageDirectory.Cut cut() throws IOException {
        return PackageDirectory.cut(archiveFile, "1764000000", Fragmentation.DEFAULT, algorithm, staging);
    }

    private static void deleteTree(Path root, boolean self) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                if (self || !p.equals(root)) {
                    Files.delete(p);
                }
            }
        }
    }
}
