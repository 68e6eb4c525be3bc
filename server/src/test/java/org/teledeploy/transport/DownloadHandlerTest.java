package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.logging.LogSetup;
import org.teledeploy.packages.DownloadObserver;
import org.teledeploy.packages.InfoDocument;
import org.teledeploy.packages.PublishedPackage;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.transport.DownloadTestClient.Reply;

/**
 * {@link DownloadHandler} in the whole agent pipeline ({@link AgentChannelInitializer}, HTTP listener) on an
 * {@link EmbeddedChannel}, with fragment files in a temporary directory; the HTTPS variant swaps in the handler of
 * the HTTPS listener (the TLS handler itself is what the listener test covers). After each test no fragment
 * file may be left open.
 */
class DownloadHandlerTest {

    private static final String ID = "1709630000";
    private static final String HTTPS_ID = "1709630001";
    private static final long PUBLISHED = 1_709_630_000_000L;
    private static final String PUBLISHED_DATE = "Tue, 05 Mar 2024 09:13:20 GMT";

    @TempDir
    Path dir;

    private final TestPackages packages = new TestPackages();
    private final List<String> observed = new ArrayList<>();
    private final DownloadObserver observer = new DownloadObserver() {
        @Override
        public void infoServed(String clientIp, String packageId) {
            observed.add("info " + clientIp + " " + packageId);
        }

        @Override
        public void fragmentServed(String clientIp, String packageId, int n, int fragments) {
            observed.add("fragment " + clientIp + " " + packageId + " " + n + "/" + fragments);
        }

        @Override
        public void tlsFailed(String clientIp, String reason) {
            observed.add("tls " + clientIp);
        }
    };
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final Logger accessLogger = Logger.getLogger(LogSetup.ACCESS_LOGGER);
    private final List<String> accessLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            accessLines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level previousLevel;
    private PublishedPackage pkg;
    private byte[] big;
    private byte[] small;

    @BeforeEach
    void publish() throws IOException {
        Random random = new Random(42);
        big = new byte[200_000]; // several 64 KiB chunks on HTTPS
        random.nextBytes(big);
        small = new byte[1000];
        random.nextBytes(small);
        pkg = packages.publish(dir, ID, false, PUBLISHED, big, small);
        packages.publish(dir, HTTPS_ID, true, PUBLISHED, small);
        previousLevel = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        accessLogger.addHandler(capture);
    }

    @AfterEach
    void closeAndCheckNoFileIsLeftOpen() throws IOException {
        accessLogger.removeHandler(capture);
        accessLogger.setLevel(previousLevel);
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        assertEquals(List.of(), DownloadTestClient.openFilesUnder(dir), "fragment files left open");
    }

    /** The agent pipeline of the HTTP listener, or with the HTTPS listener's download handler. */
    private EmbeddedChannel channel(boolean https) {
        return channel(https, packages);
    }

    private EmbeddedChannel channel(boolean https, TestPackages packages) {
        TeledeployConfig config = TeledeployConfig.load(null, Map.of());
        QueryDispatcher dispatcher = new QueryDispatcher(
                r -> CompletableFuture.completedFuture(AgentReply.empty()),
                r -> CompletableFuture.completedFuture(AgentReply.empty()),
                r -> CompletableFuture.completedFuture(AgentReply.empty()));
        DownloadHandler.Shared downloads = new DownloadHandler.Shared(packages, observer);
        EmbeddedChannel ch = new EmbeddedChannel(new AgentChannelInitializer(config, null, new ConnectionLimiter(10),
                new AgentHttpHandler.Shared(new BodyCodec(1 << 20), new AgentXmlReader(32), dispatcher), downloads,
                https ? "https" : "http"));
        if (https) {
            ch.pipeline().replace(PipelineNames.DOWNLOAD, PipelineNames.DOWNLOAD, new DownloadHandler(downloads, true));
        }
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel http() {
        return channel(false);
    }

    private static Reply get(EmbeddedChannel ch, String path, String... headers) throws IOException {
        return exchange(ch, "GET", path, headers);
    }

    private static Reply exchange(EmbeddedChannel ch, String method, String path, String... headers) throws IOException {
        ch.writeInbound(Unpooled.wrappedBuffer(DownloadTestClient.request(method, path, headers)));
        return DownloadTestClient.drain(ch);
    }

    private static byte[] slice(byte[] bytes, long first, long last) {
        return Arrays.copyOfRange(bytes, (int) first, (int) last + 1);
    }

    // ---- info file ---------------------------------------------------------------------------------------------

    @Test
    void infoIsServedWithValidatorsAndNoCache() throws IOException {
        Reply reply = get(http(), "/download/" + ID + "/info");
        assertEquals(200, reply.status());
        byte[] expected = packages.info(ID).join().bytes();
        assertArrayEquals(expected, reply.body());
        assertEquals(String.valueOf(expected.length), reply.header("Content-Length"));
        assertEquals("application/xml; charset=UTF-8", reply.header("Content-Type"));
        assertEquals(packages.info(ID).join().etag(), reply.header("ETag"));
        assertEquals(PUBLISHED_DATE, reply.header("Last-Modified"));
        assertEquals("no-cache", reply.header("Cache-Control"));
        assertNull(reply.header("Set-Cookie"));
        assertEquals(List.of("info embedded " + ID), observed);
    }

    @Test
    void infoHeadHasTheHeadersAndNoBody() throws IOException {
        Reply reply = exchange(http(), "HEAD", "/download/" + ID + "/info");
        assertEquals(200, reply.status());
        assertEquals(0, reply.body().length);
        assertEquals(String.valueOf(packages.info(ID).join().length()), reply.header("Content-Length"));
        assertEquals(packages.info(ID).join().etag(), reply.header("ETag"));
        assertEquals(List.of(), observed, "a HEAD is not a download");
    }

    @Test
    void infoIs304ByEtagOrByDate() throws IOException {
        EmbeddedChannel ch = http();
        String etag = packages.info(ID).join().etag();
        Reply byEtag = get(ch, "/download/" + ID + "/info", "If-None-Match", "\"other\", W/" + etag);
        assertEquals(304, byEtag.status());
        assertEquals(0, byEtag.body().length);
        assertEquals(etag, byEtag.header("ETag"));
        assertEquals(304, get(ch, "/download/" + ID + "/info", "If-Modified-Since", PUBLISHED_DATE).status());
        assertEquals(200, get(ch, "/download/" + ID + "/info", "If-Modified-Since", "Tue, 05 Mar 2024 09:13:19 GMT").status());
        assertEquals(200, get(ch, "/download/" + ID + "/info", "If-None-Match", "\"other\"",
                "If-Modified-Since", PUBLISHED_DATE).status(), "If-None-Match decides when present");
        assertEquals(List.of("info embedded " + ID, "info embedded " + ID), observed);
    }

    @Test
    void infoOfAnUnknownPackageIs404() throws IOException {
        Reply reply = get(http(), "/download/42/info");
        assertEquals(404, reply.status());
        assertEquals("no package 42\n", reply.text());
        assertEquals("text/plain; charset=UTF-8", reply.header("Content-Type"));
    }

    @Test
    void infoWaitsForItsFutureWithReadingPaused() throws IOException {
        CompletableFuture<InfoDocument> pending = new CompletableFuture<>();
        packages.info(ID, pending);
        EmbeddedChannel ch = http();
        ch.writeInbound(Unpooled.wrappedBuffer(DownloadTestClient.request("GET", "/download/" + ID + "/info")));
        assertNull(ch.readOutbound(), "nothing before the info is loaded");
        assertFalse(ch.config().isAutoRead());
        byte[] bytes = "<DOWNLOAD/>".getBytes(StandardCharsets.UTF_8);
        pending.complete(new InfoDocument(bytes, "\"late\"", PUBLISHED));
        ch.runPendingTasks();
        Reply reply = DownloadTestClient.drain(ch);
        assertEquals(200, reply.status());
        assertArrayEquals(bytes, reply.body());
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void infoFailuresAre404WhenUnpublishedAnd500Otherwise() throws IOException {
        EmbeddedChannel ch = http();
        packages.info(ID, CompletableFuture.failedFuture(new NoSuchElementException("deleted")));
        assertEquals("no package " + ID + "\n", get(ch, "/download/" + ID + "/info").text());
        packages.info(ID, CompletableFuture.failedFuture(new CompletionException(new NoSuchElementException("gone"))));
        assertEquals(404, get(ch, "/download/" + ID + "/info").status(), "as a cache loader may wrap it");
        packages.info(ID, CompletableFuture.failedFuture(new IOException("disk on fire")));
        Reply reply = get(ch, "/download/" + ID + "/info");
        assertEquals(500, reply.status());
        assertEquals("cannot read info file\n", reply.text());
        assertTrue(ch.isActive());
        assertEquals(List.of(), observed);
    }

    @Test
    void rangeIsIgnoredOnTheInfoFile() throws IOException {
        Reply reply = get(http(), "/download/" + ID + "/info", "Range", "bytes=0-3");
        assertEquals(200, reply.status());
        assertArrayEquals(packages.info(ID).join().bytes(), reply.body());
        assertNull(reply.header("Content-Range"));
    }

    @Test
    void infoOfAnHttpsOnlyPackageIsServedOnHttpToo() throws IOException {
        assertEquals(200, get(http(), "/download/" + HTTPS_ID + "/info").status());
    }

    // ---- fragments ---------------------------------------------------------------------------------------------

    @Test
    void fragmentIsSentAsOneFileRegionWithImmutableCaching() throws IOException {
        Reply reply = get(http(), "/download/" + ID + "/" + ID + "-1");
        assertEquals(200, reply.status());
        assertEquals(1, reply.fileRegions(), "zero-copy on the HTTP listener");
        assertArrayEquals(big, reply.body());
        assertEquals(String.valueOf(big.length), reply.header("Content-Length"));
        assertEquals("application/octet-stream", reply.header("Content-Type"));
        assertEquals("bytes", reply.header("Accept-Ranges"));
        assertEquals(pkg.fragmentEtag(1), reply.header("ETag"));
        assertEquals(PUBLISHED_DATE, reply.header("Last-Modified"));
        assertEquals("public, max-age=31536000, immutable", reply.header("Cache-Control"));
        assertEquals(List.of("fragment embedded " + ID + " 1/2"), observed);
    }

    @Test
    void httpsListenerSendsChunksOfTheFileInstead() throws IOException {
        EmbeddedChannel ch = channel(true);
        Reply reply = get(ch, "/download/" + ID + "/" + ID + "-1");
        assertEquals(200, reply.status());
        assertEquals(0, reply.fileRegions(), "no FileRegion through TLS");
        assertArrayEquals(big, reply.body());
        Reply range = get(ch, "/download/" + ID + "/" + ID + "-1", "Range", "bytes=70000-140000");
        assertEquals(206, range.status());
        assertArrayEquals(slice(big, 70000, 140000), range.body());
        Reply httpsOnly = get(ch, "/download/" + HTTPS_ID + "/" + HTTPS_ID + "-1");
        assertEquals(200, httpsOnly.status());
        assertArrayEquals(small, httpsOnly.body());
        assertEquals(List.of("fragment embedded " + ID + " 1/2", "fragment embedded " + HTTPS_ID + " 1/1"), observed);
    }

    @Test
    void fragmentHeadHasTheHeadersAndNoBody() throws IOException {
        Reply reply = exchange(http(), "HEAD", "/download/" + ID + "/" + ID + "-2");
        assertEquals(200, reply.status());
        assertEquals(0, reply.body().length);
        assertEquals(0, reply.fileRegions());
        assertEquals(String.valueOf(small.length), reply.header("Content-Length"));
        assertEquals(pkg.fragmentEtag(2), reply.header("ETag"));
        assertEquals(List.of(), observed);
    }

    @Test
    void fragmentIs304ByEtagOrByDate() throws IOException {
        EmbeddedChannel ch = http();
        Reply byEtag = get(ch, "/download/" + ID + "/" + ID + "-2", "If-None-Match", pkg.fragmentEtag(2));
        assertEquals(304, byEtag.status());
        assertEquals(0, byEtag.body().length);
        assertEquals(pkg.fragmentEtag(2), byEtag.header("ETag"));
        assertEquals(304, get(ch, "/download/" + ID + "/" + ID + "-2", "If-None-Match", "*").status());
        assertEquals(304, get(ch, "/download/" + ID + "/" + ID + "-2", "If-Modified-Since", PUBLISHED_DATE).status());
        assertEquals(200, get(ch, "/download/" + ID + "/" + ID + "-2", "If-None-Match", pkg.fragmentEtag(1)).status(),
                "another fragment's ETag");
        assertEquals(List.of("fragment embedded " + ID + " 2/2"), observed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0|0|0",
        "bytes=100-199|100|199",
        "bytes=150000-|150000|199999",
        "bytes=-5000|195000|199999",
        "bytes=199990-300000|199990|199999",
        "bytes=0-|0|199999",
    })
    void eachRangeFormIs206WithTheSlice(String range, long first, long last) throws IOException {
        Reply reply = get(http(), "/download/" + ID + "/" + ID + "-1", "Range", range);
        assertEquals(206, reply.status());
        assertEquals("bytes " + first + "-" + last + "/" + big.length, reply.header("Content-Range"));
        assertEquals(String.valueOf(last - first + 1), reply.header("Content-Length"));
        assertArrayEquals(slice(big, first, last), reply.body());
        assertEquals(1, reply.fileRegions());
        assertEquals(List.of(), observed, "a range is not a whole download");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bytes 0-5|malformed",
        "bytes=abc|malformed",
        "pages=0-5|unit pages is not supported",
        "'bytes=0-1,3-4'|only one range is supported",
        "bytes=9-5|first byte 9 is after last byte 5",
        "bytes=1-99999999999999999999|is too large",
        "bytes=1000-|first byte 1000 is at or past the end",
        "bytes=-0|a suffix of 0 bytes selects nothing",
    })
    void eachBadRangeIs416WithTheSize(String range, String rule) throws IOException {
        EmbeddedChannel ch = http();
        Reply reply = get(ch, "/download/" + ID + "/" + ID + "-2", "Range", range);
        assertEquals(416, reply.status());
        assertEquals("bytes */1000", reply.header("Content-Range"));
        assertTrue(reply.text().startsWith("Range not satisfiable: ") && reply.text().contains(rule), reply.text());
        assertTrue(ch.isActive());
    }

    @Test
    void ifRangeWithAnotherEtagSendsTheWholeFile() throws IOException {
        EmbeddedChannel ch = http();
        Reply stale = get(ch, "/download/" + ID + "/" + ID + "-2", "Range", "bytes=0-9", "If-Range", "\"stale\"");
        assertEquals(200, stale.status());
        assertArrayEquals(small, stale.body());
        Reply current = get(ch, "/download/" + ID + "/" + ID + "-2", "Range", "bytes=0-9", "If-Range", pkg.fragmentEtag(2));
        assertEquals(206, current.status());
        assertArrayEquals(slice(small, 0, 9), current.body());
    }

    @Test
    void rangeOnHeadGivesTheHeadersOf206() throws IOException {
        Reply reply = exchange(http(), "HEAD", "/download/" + ID + "/" + ID + "-1", "Range", "bytes=-10");
        assertEquals(206, reply.status());
        assertEquals("bytes 199990-199999/200000", reply.header("Content-Range"));
        assertEquals("10", reply.header("Content-Length"));
        assertEquals(0, reply.body().length);
    }

    @Test
    void httpsOnlyPackageIs403OnHttp() throws IOException {
        Reply reply = get(http(), "/download/" + HTTPS_ID + "/" + HTTPS_ID + "-1");
        assertEquals(403, reply.status());
        assertEquals("package " + HTTPS_ID + " is served over HTTPS only\n", reply.text());
    }

    @Test
    void fragmentsPastTheLastAndUnknownPackagesAre404() throws IOException {
        EmbeddedChannel ch = http();
        Reply past = get(ch, "/download/" + ID + "/" + ID + "-3");
        assertEquals(404, past.status());
        assertEquals("package " + ID + " has 2 fragments\n", past.text());
        assertEquals("no package 43\n", get(ch, "/download/43/43-1").text());
        Reply mismatch = get(ch, "/download/" + ID + "/" + HTTPS_ID + "-1");
        assertEquals(404, mismatch.status(), "a fragment of another package under this ID");
        assertEquals(0, mismatch.fileRegions());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/download/" + ID + "/../" + HTTPS_ID + "/info",
        "/download/%2e%2e/%2e%2e/etc/passwd",
        "/download/" + ID + "/%2e%2e%2f" + ID + "-1",
        "/download/" + ID + "%2f" + ID + "-1",
        "/download/" + ID + "\\" + ID + "-1",
        "/download//etc/passwd",
        "/download/" + ID + "//" + ID + "-1",
        "/download/" + ID + "/" + ID + "-01",
        "/download/abc/abc-1",
        "/download/12345678901234567890/12345678901234567890-1",
        "/download/" + ID + "/" + ID,
        "/download/" + ID,
        "/download",
    })
    void malformedPathsAre400(String path) throws IOException {
        EmbeddedChannel ch = http();
        Reply reply = get(ch, path);
        assertEquals(400, reply.status());
        assertTrue(reply.text().startsWith("malformed download path: "), reply.text());
        assertEquals(0, reply.fileRegions());
        assertTrue(ch.isActive());
    }

    @Test
    void aQueryStringIsIgnored() throws IOException {
        Reply reply = get(http(), "/download/" + ID + "/" + ID + "-2?cache=bust");
        assertEquals(200, reply.status());
        assertArrayEquals(small, reply.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    void otherMethodsAre405(String method) throws IOException {
        Reply reply = exchange(http(), method, "/download/" + ID + "/" + ID + "-1");
        assertEquals(405, reply.status());
        assertEquals("GET, HEAD", reply.header("Allow"));
        assertEquals("method " + method + " is not allowed on /download (GET or HEAD)\n", reply.text());
    }

    @Test
    void aFileOfAnotherSizeIs500AndNeverServed() throws IOException {
        Files.write(pkg.fragmentPath(2), Arrays.copyOf(small, small.length - 1));
        EmbeddedChannel ch = http();
        Reply reply = get(ch, "/download/" + ID + "/" + ID + "-2");
        assertEquals(500, reply.status());
        assertEquals("fragment " + ID + "-2 on disk does not match its package\n", reply.text());
        assertEquals(0, reply.fileRegions());
        assertEquals(500, exchange(ch, "HEAD", "/download/" + ID + "/" + ID + "-2").status());
        assertTrue(ch.isActive());
        assertEquals(List.of(), observed);
    }

    @Test
    void aCorruptFragmentIs500UntilRestoredAndTheConnectionStaysUsable() throws IOException {
        Path file = pkg.fragmentPath(2);
        FileTime published = Files.getLastModifiedTime(file);
        byte[] flipped = small.clone();
        flipped[500] ^= 0x01;
        Files.write(file, flipped); // same size: only the digest tells
        Files.setLastModifiedTime(file, FileTime.fromMillis(published.toMillis() + 1000));
        EmbeddedChannel ch = http();
        String path = "/download/" + ID + "/" + ID + "-2";
        Reply reply = get(ch, path);
        assertEquals(500, reply.status());
        assertEquals("fragment " + ID + "-2 on the server is corrupt (its SHA-256 differs from the one recorded at"
                + " build)\n", reply.text());
        assertEquals(0, reply.fileRegions());
        assertEquals(500, exchange(ch, "HEAD", path).status(), "nor its headers");
        assertEquals(500, get(ch, path, "Range", "bytes=0-9").status(), "nor a slice");
        assertTrue(ch.isActive(), "the connection stays usable");
        assertArrayEquals(big, get(ch, "/download/" + ID + "/" + ID + "-1").body(), "the intact fragment is served");
        assertEquals(500, get(channel(true), path).status(), "nor through TLS");

        Files.write(file, small);
        Files.setLastModifiedTime(file, FileTime.fromMillis(published.toMillis() + 2000));
        assertArrayEquals(small, get(ch, path).body(), "restored: served again");
        assertEquals(List.of(ID + " 1/2", ID + " 2/2"),
                observed.stream().map(o -> o.substring(o.indexOf(ID))).toList(), "only whole bodies are observed");
    }

    @Test
    void aFragmentIsHashedOnceOffTheEventLoopWithReadingPaused() throws IOException {
        List<Runnable> hashes = new ArrayList<>();
        TestPackages held = new TestPackages(hashes::add);
        held.publish(dir.resolve("held"), ID, false, PUBLISHED, big, small);
        EmbeddedChannel ch = channel(false, held);
        ch.writeInbound(Unpooled.wrappedBuffer(DownloadTestClient.request("GET", "/download/" + ID + "/" + ID + "-2")));
        assertEquals(1, hashes.size(), "the file is hashed on the executor");
        assertNull(ch.readOutbound(), "no answer before the check");
        assertFalse(ch.config().isAutoRead(), "reading paused while the file is hashed");
        hashes.remove(0).run();
        ch.runPendingTasks();
        assertArrayEquals(small, DownloadTestClient.drain(ch).body());
        assertTrue(ch.config().isAutoRead(), "reading resumes once written");

        assertArrayEquals(small, get(ch, "/download/" + ID + "/" + ID + "-2").body());
        assertEquals(List.of(), hashes, "an unchanged file is not hashed again");
    }

    @Test
    void aMissingFileIs404() throws IOException {
        Files.delete(pkg.fragmentPath(2));
        Reply reply = get(http(), "/download/" + ID + "/" + ID + "-2");
        assertEquals(404, reply.status());
        assertEquals("fragment " + ID + "-2 is missing on the server\n", reply.text());
    }

    // ---- pipeline ----------------------------------------------------------------------------------------------

    @Test
    void downloadsSitBeforeTheAgentEndpointAndChunksRightAfterTheCodec() {
        List<String> names = http().pipeline().names();
        assertEquals(List.of(PipelineNames.HTTP_CODEC, PipelineNames.CHUNKED_WRITE, PipelineNames.ACCESS_LOG,
                PipelineNames.IN_FLIGHT, PipelineNames.AGGREGATOR, PipelineNames.DOWNLOAD, PipelineNames.AGENT),
                names.subList(names.indexOf(PipelineNames.HTTP_CODEC), names.indexOf(PipelineNames.AGENT) + 1));
    }

    @Test
    void otherPathsGoOnToTheAgentEndpoint() throws IOException {
        EmbeddedChannel ch = http();
        Reply agent = get(ch, "/ocsinventory");
        assertEquals("GET is not supported on /ocsinventory (agents POST)\n", agent.text());
        assertEquals(404, get(ch, "/downloads/" + ID + "/info").status());
        assertEquals("no such path (agents use POST /ocsinventory)\n", get(ch, "/downloads/1/info").text());
    }

    @Test
    void passedOnRequestsAreTheSameObjectNotReleased() {
        List<Object> next = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new DownloadHandler(new DownloadHandler.Shared(packages, observer), false),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        next.add(msg);
                    }
                });
        channels.add(ch);
        FullHttpRequest other = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/ocsinventory",
                Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII));
        FullHttpRequest undecodable = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/download/1/info");
        undecodable.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad header")));
        ch.writeInbound(other, undecodable);
        assertEquals(2, next.size());
        assertSame(other, next.get(0));
        assertEquals(1, other.refCnt());
        assertSame(undecodable, next.get(1), "undecodable requests are the agent handler's to answer");
        next.forEach(ReferenceCountUtil::release);

        FullHttpRequest download = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/download/1/info");
        ch.writeInbound(download);
        assertEquals(0, download.refCnt(), "answered and released");
        assertEquals(2, next.size());
    }

    @Test
    void keepAliveServesSeveralRequestsAndConnectionCloseCloses() throws IOException {
        EmbeddedChannel ch = http();
        assertEquals(200, get(ch, "/download/" + ID + "/info").status());
        assertArrayEquals(big, get(ch, "/download/" + ID + "/" + ID + "-1").body());
        Reply last = get(ch, "/download/" + ID + "/" + ID + "-2", "Connection", "close");
        assertArrayEquals(small, last.body());
        assertEquals("close", last.header("Connection"));
        ch.runPendingTasks();
        assertFalse(ch.isActive(), "closed after the last write");
        assertEquals(3, observed.size());
    }

    @Test
    void http10WithoutKeepAliveIsClosedEvenAfterAnError() throws IOException {
        EmbeddedChannel ch = http();
        ch.writeInbound(Unpooled.copiedBuffer("GET /download/9/info HTTP/1.0\r\n\r\n", StandardCharsets.US_ASCII));
        Reply reply = DownloadTestClient.drain(ch);
        assertEquals(404, reply.status());
        assertEquals("HTTP/1.0", reply.version());
        ch.runPendingTasks();
        assertFalse(ch.isActive());
    }

    @Test
    void readingPausesUntilTheFragmentIsWrittenAndOnlyThenIsItObserved() throws IOException {
        EmbeddedChannel ch = http();
        List<Runnable> held = new ArrayList<>();
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof io.netty.channel.FileRegion || !held.isEmpty()) {
                    // A slow client: the region, and what follows it, is not out yet.
                    held.add(() -> ctx.writeAndFlush(msg, promise));
                    return;
                }
                ctx.write(msg, promise);
            }
        });
        ch.writeInbound(Unpooled.wrappedBuffer(DownloadTestClient.request("GET", "/download/" + ID + "/" + ID + "-1")));
        assertEquals(2, held.size(), "the region and the last content");
        assertFalse(ch.config().isAutoRead(), "no next request while the fragment is being written");
        assertEquals(List.of(), observed);
        held.forEach(Runnable::run);
        assertArrayEquals(big, DownloadTestClient.drain(ch).body());
        assertTrue(ch.config().isAutoRead());
        assertEquals(List.of("fragment embedded " + ID + " 1/2"), observed);
    }

    @Test
    void aClientGoneMidFragmentReleasesTheFileAndIsNotObserved() throws IOException {
        EmbeddedChannel ch = http();
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof io.netty.channel.FileRegion) {
                    ReferenceCountUtil.release(msg); // what the transport does with a message it cannot write
                    promise.setFailure(new IOException("Connection reset by peer"));
                    ctx.close();
                    return;
                }
                ctx.write(msg, promise);
            }
        });
        ch.writeInbound(Unpooled.wrappedBuffer(DownloadTestClient.request("GET", "/download/" + ID + "/" + ID + "-1")));
        ch.runPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(List.of(), observed);
        assertEquals(List.of(), DownloadTestClient.openFilesUnder(dir), "the region closed its file");
        assertTrue(accessLines.get(accessLines.size() - 1).matches(
                "embedded http GET /download/" + ID + "/" + ID + "-1 200 - \\d+ms - -"), accessLines.toString());
    }

    @Test
    void aClientGoneMidChunksOnHttpsReleasesTheFile() throws IOException {
        EmbeddedChannel ch = channel(true);
        int[] writes = {0};
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (++writes[0] == 3) { // the head, one chunk, then the connection drops
                    ReferenceCountUtil.release(msg);
                    promise.setFailure(new IOException("Broken pipe"));
                    ctx.close();
                    return;
                }
                ctx.write(msg, promise);
            }
        });
        ch.writeInbound(Unpooled.wrappedBuffer(DownloadTestClient.request("GET", "/download/" + ID + "/" + ID + "-1")));
        ch.runPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(List.of(), observed);
        assertEquals(List.of(), DownloadTestClient.openFilesUnder(dir), "the chunked input closed its file");
    }

    @Test
    void accessLogHasStatusAndBodyBytesAndNoDeviceOrQuery() throws IOException {
        EmbeddedChannel ch = http();
        get(ch, "/download/" + ID + "/" + ID + "-1");
        get(ch, "/download/" + ID + "/" + ID + "-1?x=1", "Range", "bytes=0-99");
        exchange(ch, "HEAD", "/download/" + ID + "/" + ID + "-1");
        get(ch, "/download/" + ID + "/" + ID + "-1", "If-None-Match", pkg.fragmentEtag(1));
        get(channel(true), "/download/" + ID + "/" + ID + "-2");
        String prefix = "embedded http GET /download/" + ID + "/" + ID + "-1 ";
        assertEquals(5, accessLines.size(), accessLines.toString());
        assertTrue(accessLines.get(0).matches(prefix + "200 200000 \\d+ms - -"), accessLines.get(0));
        assertTrue(accessLines.get(1).matches(prefix + "206 100 \\d+ms - -"), accessLines.get(1));
        assertTrue(accessLines.get(2).matches("embedded http HEAD /download/" + ID + "/" + ID + "-1 200 0 \\d+ms - -"),
                accessLines.get(2));
        assertTrue(accessLines.get(3).matches(prefix + "304 0 \\d+ms - -"), accessLines.get(3));
        assertTrue(accessLines.get(4).matches("embedded https GET /download/" + ID + "/" + ID + "-2 200 1000 \\d+ms - -"),
                accessLines.get(4));
    }
}
