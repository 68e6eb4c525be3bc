package org.teledeploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.teledeploy.packages.Fragmentation;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSource;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.TargetOs;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The bad input catalogue of issue 8: hostile or broken requests to the agent endpoint and the download tree,
 * each answered with its exact status and a one-line reason, never a stack trace, and after each one the server
 * still answers a valid PROLOG and has stored nothing it should not have. The figures of the run are written to
 * {@code target/reliability/catalogue.txt} (and copied into docs/reliability.md).
 */
class HostileInputCatalogueTest {

    private static final String DEVICE = "canary-2026-01-01-00-00-00";
    private static final String UA = "OCS-NG_unified_unix_agent_v2.10.0";

    @RegisterExtension
    static final TeledeployServerExtension server = TeledeployServerExtension.create()
            .with("limit.body.size", "1m").with("limit.inflated.size", "2m").with("limit.header.size", "8k")
            .with("limit.line.length", "4k").with("limit.xml.depth", "32");

    private static final List<String> results = new CopyOnWriteArrayList<>();
    private static String packageId;

    /** One hostile request and what it must get. */
    record Case(String name, Supplier<byte[]> request, int status, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void registerACanaryAndAPackage(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertEquals(200, server.client().post(OcsClient.inventory(DEVICE, "canary", "Debian GNU/Linux 12", 1, null))
                .status());
        Files.writeString(dir.resolve("a.txt"), "payload");
        PackageRecord p = server.server().packages().build(PackageSpec.of("p", TargetOs.LINUX, PackageAction.STORE,
                "/tmp/p").withFragmentation(Fragmentation.byCount(2)), PackageSource.directory(dir)).join();
        packageId = p.id();
    }

    @AfterAll
    static void writeTheFigures() throws IOException {
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        long passed = results.stream().filter(r -> r.startsWith("PASS")).count();
        Files.writeString(out.resolve("catalogue.txt"), "hostile input catalogue: " + results.size() + " cases, "
                + passed + " passed\n" + String.join("\n", results) + "\n");
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // --- encodings and sizes
        c.add(agent("truncated zlib", () -> java.util.Arrays.copyOf(zlib(prolog()), 20), 400, "truncated"));
        c.add(agent("corrupt zlib (bad checksum)", () -> corrupt(zlib(prolog())), 400, "zlib"));
        c.add(agent("truncated gzip", () -> java.util.Arrays.copyOf(gzip(prolog()), 25), 400, "gzip"));
        c.add(agent("zip bomb (64 KiB inflating past limit.inflated.size)", () -> zlib(new byte[64 << 20]), 413,
                "limit.inflated.size"));
        c.add(agent("empty body", () -> new byte[0], 400, ""));
        c.add(agent("non-XML body", () -> zlib("hello, I am not XML".getBytes(StandardCharsets.UTF_8)), 400, "XML"));
        c.add(raw("body over limit.body.size with Content-Length", () -> post(new byte[(1 << 20) + 1]), 413,
                "limit.body.size"));
        c.add(raw("chunked body over limit.body.size", () -> chunked(new byte[(1 << 20) + 10]), 413,
                "limit.body.size"));
        c.add(raw("chunked valid PROLOG", () -> chunked(zlib(prolog())), 200, ""));
        // --- XML attacks
        c.add(agent("DOCTYPE", () -> zlib(("<!DOCTYPE REQUEST><REQUEST><DEVICEID>" + DEVICE
                + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>").getBytes(StandardCharsets.UTF_8)), 400, "DOCTYPE"));
        c.add(agent("XXE file entity", () -> zlib(("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><REQUEST><DEVICEID>&x;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>")
                .getBytes(StandardCharsets.UTF_8)), 400, "DOCTYPE"));
        c.add(agent("XXE http entity", () -> zlib(("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                + "\"http://127.0.0.1:1/x\">]><REQUEST><DEVICEID>&x;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>")
                .getBytes(StandardCharsets.UTF_8)), 400, "DOCTYPE"));
        c.add(agent("billion laughs", () -> zlib(("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                + "<REQUEST><DEVICEID>&c;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>").getBytes(StandardCharsets.UTF_8)),
                400, "DOCTYPE"));
        c.add(agent("entity reference without DTD", () -> xml("<REQUEST><DEVICEID>&x;</DEVICEID><QUERY>PROLOG</QUERY>"
                + "</REQUEST>"), 400, "invalid XML"));
        c.add(agent("deeply nested XML", () -> xml("<REQUEST>" + "<A>".repeat(200) + "</A>".repeat(200)
                + "<DEVICEID>" + DEVICE + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"), 400, "limit.xml.depth"));
        c.add(agent("huge attribute value", () -> xml("<REQUEST X=\"" + "x".repeat(1_500_000) + "\"><DEVICEID>" + DEVICE
                + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"), 400, ""));
        // OCS (XML::Simple) ignores the root element's name, and so must we (shared/ocs-protocol.md §1.6).
        c.add(agent("another root element name (ignored, as OCS)", () -> xml("<REPLY><DEVICEID>" + DEVICE
                + "</DEVICEID><QUERY>PROLOG</QUERY></REPLY>"), 200, ""));
        c.add(agent("missing QUERY", () -> xml("<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID></REQUEST>"), 400, "QUERY"));
        c.add(agent("unknown QUERY", () -> xml("<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID><QUERY>DROP</QUERY>"
                + "</REQUEST>"), 400, "QUERY"));
        // --- identifiers
        c.add(agent("missing DEVICEID", () -> xml("<REQUEST><QUERY>PROLOG</QUERY></REQUEST>"), 400, "DEVICEID"));
        c.add(agent("DEVICEID with spaces", () -> xml(prologOf("pc 42 2026")), 400, "DEVICEID"));
        c.add(agent("over-long DEVICEID", () -> xml(prologOf("x".repeat(300))), 400, "DEVICEID"));
        c.add(agent("non-ASCII DEVICEID", () -> xml(prologOf("pc-\u00e9t\u00e9-2026")), 400, "DEVICEID"));
        c.add(agent("SQL-looking DEVICEID", () -> xml(prologOf("x';DROP TABLE devices;--")), 400, "DEVICEID"));
        c.add(agent("control character in DEVICEID", () -> xml(prologOf("pc\u0001-2026")), 400, "DEVICEID"));
        // --- HTTP framing
        c.add(raw("oversized request line", () -> ("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), 414, "limit.line.length"));
        c.add(raw("oversized headers", () -> ("POST /ocsinventory HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000)
                + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 431, "limit.header.size"));
        c.add(raw("bare-LF line endings", () -> OcsClient.concat(("POST /ocsinventory HTTP/1.1\nHost: x\nUser-Agent: " + UA
                + "\nContent-Length: " + zlib(prolog()).length + "\n\n").getBytes(StandardCharsets.US_ASCII),
                zlib(prolog())), 200, ""));
        c.add(raw("mixed line endings", () -> OcsClient.concat(("POST /ocsinventory HTTP/1.1\r\nHost: x\nUser-Agent: "
                + UA + "\r\nContent-Length: " + zlib(prolog()).length + "\n\r\n").getBytes(StandardCharsets.US_ASCII),
                zlib(prolog())), 200, ""));
        c.add(raw("HTTP/1.0 request", () -> OcsClient.concat(("POST /ocsinventory HTTP/1.0\r\nUser-Agent: " + UA
                + "\r\nContent-Length: " + zlib(prolog()).length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                zlib(prolog())), 200, ""));
        c.add(raw("not HTTP at all", () -> "\u0016\u0003\u0001 hello\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                400, ""));
        c.add(raw("User-Agent that is not an agent", () -> OcsClient.concat(("POST /ocsinventory HTTP/1.1\r\nHost: x\r\n"
                + "User-Agent: curl/8\r\nContent-Length: " + zlib(prolog()).length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), zlib(prolog())), 400, "User-Agent"));
        // --- the download tree
        c.add(get("download path with ..", () -> "/download/../teledeploy.db", 400, "malformed download path"));
        c.add(get("download path with %2e%2e", () -> "/download/%2e%2e/teledeploy.db", 400, "malformed download path"));
        c.add(get("download path with %2f", () -> "/download/" + packageId + "%2finfo", 400, "malformed download path"));
        c.add(get("download path with a backslash", () -> "/download/" + packageId + "\\info", 400,
                "malformed download path"));
        c.add(get("download absolute path", () -> "/download//etc/passwd", 400, "malformed download path"));
        c.add(get("download ID that is not a package ID", () -> "/download/abc/info", 400, "malformed download path"));
        c.add(get("download unknown package", () -> "/download/1234567890/info", 404, "no package 1234567890"));
        c.add(get("fragment 0", () -> "/download/" + packageId + "/" + packageId + "-0", 400, "malformed download path"));
        c.add(get("negative fragment", () -> "/download/" + packageId + "/" + packageId + "--1", 400,
                "malformed download path"));
        c.add(get("fragment past the last", () -> "/download/" + packageId + "/" + packageId + "-3", 404,
                "has 2 fragments"));
        c.add(get("huge fragment number", () -> "/download/" + packageId + "/" + packageId + "-99999999999", 400,
                "malformed download path"));
        c.add(get("fragment of another ID", () -> "/download/" + packageId + "/1234567890-1", 404, ""));
        c.add(range("bad Range syntax", "bytes=abc", 416));
        c.add(range("multiple ranges", "bytes=0-1,3-4", 416));
        c.add(range("inverted range", "bytes=5-2", 416));
        c.add(range("overflowing range", "bytes=0-99999999999999999999999", 416));
        c.add(range("range past the end", "bytes=100000-", 416));
        c.add(range("other unit", "items=0-1", 416));
        // --- result reports
        c.add(agent("result for a package never assigned", () -> zlib(OcsClient.downloadReport(DEVICE, "1111111111",
                "SUCCESS").getBytes(StandardCharsets.UTF_8)), 200, ""));
        c.add(agent("unknown result code", () -> zlib(OcsClient.downloadReport(DEVICE, "1111111112",
                "WHATEVER_THIS_IS").getBytes(StandardCharsets.UTF_8)), 200, ""));
        c.add(agent("result with a non-numeric package ID", () -> zlib(OcsClient.downloadReport(DEVICE, "../../x",
                "SUCCESS").getBytes(StandardCharsets.UTF_8)), 400, "ID"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachHostileInputGetsItsExactAnswerAndTheServerKeepsServing(Case hostile) throws Exception {
        OcsClient.Response r;
        try {
            r = server.client().exchange(hostile.request().get());
        } catch (IOException e) {
            results.add("FAIL " + hostile.name() + ": no answer (" + e.getMessage() + ")");
            throw e;
        }
        String body = r.text();
        boolean ok = r.status() == hostile.status() && body.contains(hostile.reason())
                && !body.contains("Exception") && !body.contains("\tat ");
        String shown = String.valueOf(r.header("Content-Type")).startsWith("text/plain")
                ? body.strip().replace('\n', ' ') : "(" + r.body().length + "-byte " + r.header("Content-Type") + " reply)";
        results.add((ok ? "PASS " : "FAIL ") + hostile.name() + ": " + r.status() + " "
                + shown.substring(0, Math.min(120, shown.length())));
        assertEquals(hostile.status(), r.status(), body);
        assertTrue(body.contains(hostile.reason()), "reason '" + hostile.reason() + "' in: " + body);
        assertTrue(!body.contains("Exception") && !body.contains("\tat "), "no stack trace: " + body);
        // The server still serves, and nothing was stored that should not be.
        OcsClient.Response prolog = server.client().post(OcsClient.prolog(DEVICE));
        assertEquals(200, prolog.status());
        assertTrue(prolog.inflated().contains("<RESPONSE>"), prolog.inflated());
        assertEquals(1, server.server().registry().size(), "no device created by hostile input");
        server.server().flushWrites();
        assertEquals(null, server.server().queries().state(DEVICE, "1111111111").join(),
                "a report for a package never assigned creates no assignment");
    }

    // --- request builders

    private static Case agent(String name, Supplier<byte[]> body, int status, String reason) {
        return new Case(name, () -> post(body.get()), status, reason);
    }

    private static Case raw(String name, Supplier<byte[]> request, int status, String reason) {
        return new Case(name, request, status, reason);
    }

    private static Case get(String name, Supplier<String> path, int status, String reason) {
        return new Case(name, () -> ("GET " + path.get() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), status, reason);
    }

    private static Case range(String name, String range, int status) {
        return new Case(name, () -> ("GET /download/" + packageId + "/" + packageId + "-1 HTTP/1.1\r\nHost: x\r\nRange: "
                + range + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), status, "");
    }

    private static byte[] post(byte[] body) {
        return OcsClient.concat(("POST /ocsinventory HTTP/1.1\r\nHost: x\r\nUser-Agent: " + UA
                + "\r\nContent-Type: application/x-compress\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), body);
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST /ocsinventory HTTP/1.1\r\nHost: x\r\nUser-Agent: " + UA
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < body.length; i += 65536) {
            int n = Math.min(65536, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] prolog() {
        return OcsClient.prolog(DEVICE).getBytes(StandardCharsets.UTF_8);
    }

    private static String prologOf(String deviceId) {
        return "<REQUEST><DEVICEID>" + deviceId + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>";
    }

    private static byte[] xml(String xml) {
        return zlib(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] zlib(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] corrupt(byte[] zlib) {
        byte[] copy = zlib.clone();
        copy[copy.length - 1] ^= 0x55;
        return copy;
    }
}
