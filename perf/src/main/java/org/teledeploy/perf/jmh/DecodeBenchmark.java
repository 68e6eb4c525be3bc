package org.teledeploy.perf.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.XmlNode;
import org.teledeploy.registry.Inventory;
import org.teledeploy.registry.InventoryReader;

/**
 * Request decoding as the agent endpoint runs it on the event loop ({@code transport.AgentHttpHandler}): zlib
 * inflate ({@link BodyCodec}), hardened XML parse ({@link AgentXmlReader}), QUERY/DEVICEID ({@link AgentRequest}),
 * and for inventories the registry's extraction ({@link InventoryReader}). The {@code agent*} pair splits the
 * real agent's inventory into its inflate and parse halves.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecodeBenchmark {

    private static final String CLIENT_IP = "10.1.2.3";

    BodyCodec codec;
    AgentXmlReader xmlReader;
    byte[] prolog;
    byte[] typicalInventory;
    byte[] agentInventory;
    byte[] agentInventoryXml;

    @Setup
    public void setUp() {
        TeledeployConfig config = TeledeployConfig.defaults();
        codec = new BodyCodec(config.maxInflatedSize());
        xmlReader = new AgentXmlReader(config.maxXmlDepth());
        prolog = AgentBodies.zlib(AgentBodies.prologXml(AgentBodies.deviceId(42)));
        typicalInventory = AgentBodies.zlib(AgentBodies.typicalInventoryXml(42));
        agentInventory = AgentBodies.agentInventoryZlib();
        agentInventoryXml = codec.decode(agentInventory, agentInventory.length).xml();
    }

    /** A PROLOG body (about 130 bytes of XML) to its request. */
    @Benchmark
    public AgentRequest prolog() {
        return request(prolog, AgentBodies.UNIX_AGENT);
    }

    /** The shared client's small inventory (about 2 KB of XML) to its request and {@link Inventory}. */
    @Benchmark
    public Inventory inventoryTypical() {
        return InventoryReader.read(request(typicalInventory, AgentBodies.UNIX_AGENT).content());
    }

    /** The real Unix agent's inventory (298 KB of XML, 747 software entries) to its request and {@link Inventory}. */
    @Benchmark
    public Inventory inventoryAgent() {
        return InventoryReader.read(request(agentInventory, AgentBodies.UNIX_AGENT).content());
    }

    /** Only the inflate of the real agent's inventory. */
    @Benchmark
    public byte[] agentInflateOnly() {
        return codec.decode(agentInventory, agentInventory.length).xml();
    }

    /** Only the XML parse of the real agent's (inflated) inventory. */
    @Benchmark
    public XmlNode agentParseOnly() {
        return xmlReader.parse(agentInventoryXml);
    }

    private AgentRequest request(byte[] body, String userAgent) {
        BodyCodec.Decoded decoded = codec.decode(body, body.length);
        XmlNode root = xmlReader.parse(decoded.xml());
        return AgentRequest.of(root, decoded.encoding(), userAgent, CLIENT_IP);
    }
}
