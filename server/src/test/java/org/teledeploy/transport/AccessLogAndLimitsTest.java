package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.logging.LogSetup;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.protocol.ReplyXml;
import org.teledeploy.testing.OcsClient;

/** One access-log line per request, whoever answered it, and the connection cap. */
class AccessLogAndLimitsTest {

    private static final String DEVICE = "web01-2024-03-05-09-12-44";

    private final Logger accessLogger = Logger.getLogger(LogSetup.ACCESS_LOGGER);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level previousLevel;

    @BeforeEach
    void captureAccessLog() {
        previousLevel = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        accessLogger.addHandler(capture);
    }

    @AfterEach
    void restore() {
        accessLogger.removeHandler(capture);
        accessLogger.setLevel(previousLevel);
    }

    private static EmbeddedChannel channel(ConnectionLimiter limiter) {
        TeledeployConfig config = TeledeployConfig.load(null, Map.of("TELEDEPLOY_LIMIT_BODY_SIZE", "1k",
                "TELEDEPLOY_TIMEOUT_REQUEST", "5s"));
        QueryDispatcher dispatcher = new QueryDispatcher(
                r -> CompletableFuture.completedFuture(AgentReply.of(ReplyXml.reply().element("RESPONSE", "STOP").toBytes())),
                r -> CompletableFuture.completedFuture(AgentReply.empty()),
                r -> CompletableFuture.completedFuture(AgentReply.empty()));
        return new EmbeddedChannel(new AgentChannelInitializer(config, null, limiter, new AgentHttpHandler.Shared(
                new BodyCodec(config.maxInflatedSize()), new AgentXmlReader(32), dispatcher), TestPackages.NO_DOWNLOADS,
                "http"));
    }

    @Test
    void answeredRequestIsLoggedWithDeviceAndQuery() {
        EmbeddedChannel ch = channel(new ConnectionLimiter(10));
        byte[] body = OcsClient.zlib(OcsClient.prolog(DEVICE).getBytes(StandardCharsets.UTF_8));
        ch.writeInbound(Unpooled.wrappedBuffer(("POST /ocsinventory?x=1 HTTP/1.1\r\nUser-Agent: OCS-NG_x_v1\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body));
        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        assertTrue(line.matches("embedded http POST /ocsinventory 200 \\d+ \\d+ms " + DEVICE + " PROLOG"), line);
        ch.finishAndReleaseAll();
    }

    @Test
    void refusalsAndTimeoutsAreLoggedToo() {
        EmbeddedChannel ch = channel(new ConnectionLimiter(10));
        ch.writeInbound(Unpooled.wrappedBuffer("GET /nowhere HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        ch.writeInbound(Unpooled.wrappedBuffer("POST /ocsinventory HTTP/1.1\r\nContent-Length: 4096\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        assertTrue(lines.get(0).matches("embedded http GET /nowhere 404 \\d+ \\d+ms - -"), lines.get(0));
        assertTrue(lines.get(1).matches("embedded http POST /ocsinventory 413 \\d+ \\d+ms - -"), lines.get(1));
        ch.finishAndReleaseAll();

        EmbeddedChannel slow = channel(new ConnectionLimiter(10));
        slow.writeInbound(Unpooled.wrappedBuffer("POST /ocsi".getBytes(StandardCharsets.US_ASCII)));
        slow.advanceTimeBy(5, TimeUnit.SECONDS);
        slow.runScheduledPendingTasks();
        assertTrue(lines.get(2).matches("embedded http - - 408 \\d+ 5000ms - -"), lines.get(2));
        slow.finishAndReleaseAll();
    }

    @Test
    void untrustedPathsAreMadePrintableAndBounded() {
        assertEquals("/a%20b%0A%25", AccessLog.safe("/a b\n%", 100));
        assertEquals("abc...", AccessLog.safe("abcdef", 3));
        assertEquals("-", AccessLog.safe(null, 3));
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnce() {
        ConnectionLimiter limiter = new ConnectionLimiter(2);
        EmbeddedChannel a = channel(limiter);
        EmbeddedChannel b = channel(limiter);
        EmbeddedChannel c = channel(limiter);
        assertTrue(a.isActive());
        assertTrue(b.isActive());
        assertFalse(c.isActive(), "third connection over limit.connections = 2");
        assertEquals(1, limiter.refused());
        a.close();
        EmbeddedChannel d = channel(limiter);
        assertTrue(d.isActive(), "a slot freed by a closed connection is reused");
        for (EmbeddedChannel ch : List.of(a, b, c, d)) {
            ch.finishAndReleaseAll();
        }
    }
}
