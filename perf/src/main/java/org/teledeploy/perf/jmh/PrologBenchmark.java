package org.teledeploy.perf.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.BodyEncoding;

/**
 * The PROLOG against a registered {@link Fleet} (100,000 devices, 50 activated packages, 3 assigned to each
 * device): {@code decision} is {@link org.teledeploy.deploy.PrologService#handle} from a parsed request to the
 * reply's XML bytes; {@code wire} is the whole straight line of one PROLOG on the event loop, zlib body in, zlib
 * reply out (inflate, parse, dispatch, decide, serialize, deflate). The calls cycle through 65,536 requests
 * prepared for devices drawn at random (seeded) from the whole fleet. After the first round every such device's
 * packages are NOTIFIED and offered again at each PROLOG (until a result arrives): the steady state measured.
 *
 * <p>Every PROLOG of a known device also queues its contact time for the store writer thread (in the
 * background); at benchmark rates that thread runs flat out on another core and its queue fills up, so part of
 * what is measured is the overloaded path of {@code StoreWriter.submit} (perf/JMH.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PrologBenchmark {

    /** Requests prepared (a power of two); each names a random device of the whole fleet. */
    static final int REQUESTS = 1 << 16;

    @Param("100000")
    public int devices;

    @Param("50")
    public int packages;

    @Param("3")
    public int packsPerDevice;

    Fleet fleet;
    BodyCodec codec;
    AgentXmlReader xmlReader;
    int[] deviceOf;
    String[] clientIps;
    AgentRequest[] requests;
    byte[][] bodies;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        fleet = Fleet.create(devices, packages, packsPerDevice, 20261124L);
        TeledeployConfig config = TeledeployConfig.defaults();
        codec = new BodyCodec(config.maxInflatedSize());
        xmlReader = new AgentXmlReader(config.maxXmlDepth());
        Random random = new Random(42);
        deviceOf = new int[REQUESTS];
        clientIps = new String[REQUESTS];
        requests = new AgentRequest[REQUESTS];
        bodies = new byte[REQUESTS][];
        for (int r = 0; r < REQUESTS; r++) {
            int device = random.nextInt(devices);
            byte[] xml = AgentBodies.prologXml(AgentBodies.deviceId(device));
            deviceOf[r] = device;
            clientIps[r] = Fleet.clientIp(device);
            requests[r] = AgentRequest.of(xmlReader.parse(xml), BodyEncoding.ZLIB, Fleet.userAgent(device),
                    clientIps[r]);
            bodies[r] = AgentBodies.zlib(xml);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fleet.close();
    }

    /** PrologService.handle: parsed request to reply XML bytes (from memory; the reply future is complete). */
    @Benchmark
    public byte[] decision() {
        AgentRequest request = requests[advance()];
        return fleet.prolog().handle(request).join().xml();
    }

    /** One PROLOG on the wire: zlib body in, zlib reply out. */
    @Benchmark
    public byte[] wire() {
        int r = advance();
        byte[] body = bodies[r];
        BodyCodec.Decoded decoded = codec.decode(body, body.length);
        AgentRequest request = AgentRequest.of(xmlReader.parse(decoded.xml()), decoded.encoding(),
                Fleet.userAgent(deviceOf[r]), clientIps[r]);
        AgentReply reply = fleet.dispatcher().dispatch(request).join();
        return BodyCodec.encode(reply.xml(), request.encoding());
    }

    /** The device the next call asks for (for checks). */
    int peekDevice() {
        return deviceOf[next];
    }

    private int advance() {
        int r = next;
        next = (r + 1) & (REQUESTS - 1);
        return r;
    }
}
