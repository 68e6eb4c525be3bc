package org.teledeploy.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.BodyEncoding;
import org.teledeploy.protocol.ReplyXml;

/**
 * PROLOG reply encoding: the document {@link ReplyXml} writes (in the shape {@code deploy.PrologService} gives it:
 * RESPONSE, PROLOG_FREQ, INVENTORY_ON_STARTUP, the DOWNLOAD option with its CONF and {@code packs} PACKs) and its
 * zlib bytes as sent on the wire ({@link BodyCodec#encode}). {@code packs=0} is the everyday PROLOG of a device
 * with nothing to install.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReplyBenchmark {

    @Param({"0", "3"})
    public int packs;

    /** The reply XML only. */
    @Benchmark
    public byte[] xml() {
        return reply(packs).toBytes();
    }

    /** The reply XML, deflated as sent to a zlib request. */
    @Benchmark
    public byte[] zlib() {
        return BodyCodec.encode(reply(packs).toBytes(), BodyEncoding.ZLIB);
    }

    /** A PROLOG reply with the default settings and {@code packs} offers. */
    static ReplyXml reply(int packs) {
        ReplyXml reply = ReplyXml.reply()
                .element("RESPONSE", "SEND")
                .element("PROLOG_FREQ", 24)
                .element("INVENTORY_ON_STARTUP", 0);
        reply.option("DOWNLOAD").param(
                "TYPE", "CONF",
                "ON", "1",
                "FRAG_LATENCY", "10",
                "CYCLE_LATENCY", "10",
                "PERIOD_LATENCY", "1",
                "PERIOD_LENGTH", "10",
                "TIMEOUT", "30",
                "EXECUTION_TIMEOUT", "120");
        for (int p = 0; p < packs; p++) {
            reply.param(
                    "TYPE", "PACK",
                    "ID", Long.toString(1_764_000_000L + p),
                    "INFO_LOC", Fleet.INFO_LOC,
                    "PACK_LOC", Fleet.PACK_LOC,
                    "CERT_PATH", "INSTALL_PATH",
                    "CERT_FILE", "INSTALL_PATH/cacert.pem",
                    "SCHEDULE", "",
                    "POSTCMD", "",
                    "FORCE", "0");
        }
        return reply.endOption();
    }
}
