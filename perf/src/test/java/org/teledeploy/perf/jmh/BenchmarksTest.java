package org.teledeploy.perf.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.teledeploy.packages.DigestAlgorithm;
import org.teledeploy.packages.InfoFile;
import org.teledeploy.packages.PackageDirectory;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.XmlNode;
import org.teledeploy.registry.Inventory;

/**
 * Each benchmark method called once on its set-up state, and its result checked: a benchmark that measures a
 * failing or empty path is worse than none. Correctness only, never timing.
 */
class BenchmarksTest {

    private static final BodyCodec CODEC = new BodyCodec(64L << 20);

    @Test
    void decodeBenchmarksDecodeWhatTheAgentsSent() {
        DecodeBenchmark b = new DecodeBenchmark();
        b.setUp();
        AgentRequest prolog = b.prolog();
        assertEquals("PROLOG", prolog.query());
        assertEquals(AgentBodies.deviceId(42), prolog.deviceId());

        Inventory typical = b.inventoryTypical();
        assertEquals(AgentBodies.deviceName(42), typical.name());
        assertEquals("SN-000042", typical.serial());
        assertEquals("BENCH", typical.tag());
        assertEquals(1, typical.networks().size());

        Inventory agent = b.inventoryAgent();
        assertEquals(AgentBodies.AGENT_DEVICE_NAME, agent.name());
        assertEquals("Debian GNU/Linux 12", agent.osName());
        assertTrue(agent.software().size() >= 300, "software entries: " + agent.software().size());

        byte[] xml = b.agentInflateOnly();
        assertTrue(new String(xml, 0, 5, StandardCharsets.UTF_8).equals("<?xml"));
        XmlNode root = b.agentParseOnly();
        assertEquals(AgentBodies.AGENT_DEVICE_ID, root.valueOrEmpty("DEVICEID"));
        assertEquals("INVENTORY", root.valueOrEmpty("QUERY"));
    }

    @Test
    void bundledAgentInventoryIsTheServersTestResource() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/agent-2.10/inventory.zlib")) {
            assertArrayEquals(in.readAllBytes(), AgentBodies.agentInventoryZlib());
        }
    }

    @Test
    void prologBenchmarksOfferEachDeviceItsPackages() {
        PrologBenchmark b = new PrologBenchmark();
        b.devices = 2_000;
        b.packages = 50;
        b.packsPerDevice = 3;
        b.setUp();
        try {
            assertEquals(2_000, b.fleet.registry().size());
            int device = b.peekDevice();
            String reply = new String(b.decision(), StandardCharsets.UTF_8);
            assertOffers(b.fleet.assignedTo(device), reply);

            device = b.peekDevice();
            byte[] wire = b.wire();
            String inflated = new String(CODEC.decode(wire, wire.length).xml(), StandardCharsets.UTF_8);
            assertOffers(b.fleet.assignedTo(device), inflated);

            // Offered again at the next PROLOG (NOTIFIED until a result arrives): the steady state measured.
            b.next = 0;
            assertOffers(b.fleet.assignedTo(b.peekDevice()), new String(b.decision(), StandardCharsets.UTF_8));
        } finally {
            b.tearDown();
        }
    }

    private static void assertOffers(List<String> packageIds, String reply) {
        assertTrue(reply.contains("<RESPONSE>SEND</RESPONSE>"), reply);
        assertTrue(reply.contains("TYPE=\"CONF\" ON=\"1\""), reply);
        assertEquals(3, packageIds.size());
        for (String id : packageIds) {
            assertTrue(reply.contains("TYPE=\"PACK\" ID=\"" + id + "\" INFO_LOC=\"" + Fleet.INFO_LOC + "\" PACK_LOC=\""
                    + Fleet.PACK_LOC + "\""), id + " in " + reply);
        }
        assertEquals(packageIds.size(), reply.split("TYPE=\"PACK\"", -1).length - 1, reply);
    }

    @Test
    void replyBenchmarksWriteTheReplyAndItsZlibBytes() {
        ReplyBenchmark b = new ReplyBenchmark();
        for (int packs : new int[] {0, 3}) {
            b.packs = packs;
            String xml = new String(b.xml(), StandardCharsets.UTF_8);
            assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n"), xml);
            assertTrue(xml.contains("<RESPONSE>SEND</RESPONSE>"), xml);
            assertEquals(packs, xml.split("TYPE=\"PACK\"", -1).length - 1, xml);
            byte[] zlib = b.zlib();
            assertEquals(0x78, zlib[0] & 0xFF); // a zlib header, never raw deflate
            assertArrayEquals(b.xml(), CODEC.decode(zlib, zlib.length).xml());
        }
    }

    @Test
    void infoFileBenchmarkWritesAFileThatReadsBack() {
        InfoFileBenchmark b = new InfoFileBenchmark();
        byte[] bytes = b.toBytes();
        assertEquals(b.info, InfoFile.parse(bytes));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("&quot;Acme&quot;"));
    }

    @Test
    void fragmentationBenchmarksHashAndCutTheWholeArchive() throws Exception {
        FragmentationBenchmark b = new FragmentationBenchmark();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            b.algorithm = algorithm;
            b.setUp();
            try {
                String expected = HexFormat.of().formatHex(algorithm.newDigest().digest(b.archive));
                assertEquals(expected, b.digest());
                PackageDirectory.Cut cut = b.cut();
                assertEquals(expected, cut.digest());
                assertEquals(FragmentationBenchmark.MIB << 20, cut.archiveSize());
                assertEquals(16, cut.fragmentSizes().length); // 4 MiB fragments
                try (Stream<Path> files = Files.list(b.staging)) {
                    assertEquals(16, files.count());
                }
                b.emptyStaging();
                try (Stream<Path> files = Files.list(b.staging)) {
                    assertEquals(0, files.count());
                }
                assertEquals(expected, b.cut().digest()); // a second cut works on the emptied staging directory
            } finally {
                b.tearDown();
            }
            assertTrue(Files.notExists(b.dir));
        }
    }
}
