package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.metrics.HttpMetrics;
import org.teledeploy.metrics.Listener;
import org.teledeploy.metrics.ServerMetrics;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.testing.OcsClient;

/**
 * {@code limit.requests.per.client} on the agent pipeline, with {@link EmbeddedChannel}s from given addresses and a
 * {@link MutableClock} (no waiting): a burst is let through, the next request is a 429 with {@code Retry-After}
 * before its body reaches the agent handler, the keep-alive connection then serves the next request, the bucket
 * refills with the clock, addresses and downloads are counted apart, and every refusal is counted.
 */
class RequestRateLimitTest {

    private static final String DEVICE = "web01-2024-03-05-09-12-44";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final ServerMetrics metrics = ServerMetrics.create();
    private final List<String> dispatched = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final TeledeployConfig config = TeledeployConfig.load(null, Map.of());

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        metrics.close();
    }

    private EmbeddedChannel channel(ClientRateLimits limits, String address) {
        QueryDispatcher dispatcher = new QueryDispatcher(
                r -> {
                    dispatched.add(r.clientIp());
                    return CompletableFuture.completedFuture(AgentReply.empty());
                },
                r -> CompletableFuture.completedFuture(AgentReply.empty()),
                r -> CompletableFuture.completedFuture(AgentReply.empty()));
        AgentHttpHandler.Shared shared = new AgentHttpHandler.Shared(new BodyCodec(1 << 20), new AgentXmlReader(32),
                dispatcher);
        HttpMetrics http = metrics.http();
        InetSocketAddress remote = new InetSocketAddress(address, 40000);
        EmbeddedChannel ch = new EmbeddedChannel(new AgentChannelInitializer(config, null, new ConnectionLimiter(100),
                shared, TestPackages.NO_DOWNLOADS, Listener.HTTP, http, new InFlightRequests(), limits)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        channels.add(ch);
        return ch;
    }

    @Test
    void aBurstPassesThenA429WithRetryAfterAndTheConnectionServesOnceTheBucketRefills() {
        ClientRateLimits limits = new ClientRateLimits(1, 3, clock);
        EmbeddedChannel ch = channel(limits, "10.0.0.5");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, prolog(ch).status().code(), "request " + (i + 1) + " of the burst");
        }
        FullHttpResponse refused = prolog(ch);
        assertEquals(429, refused.status().code());
        assertEquals("1", refused.headers().get("Retry-After"));
        assertEquals("too many requests from 10.0.0.5 (limit.requests.per.client = 1/s, burst 3); retry after 1 s\n",
                refused.content().toString(StandardCharsets.UTF_8));
        refused.release();
        assertEquals(3, dispatched.size(), "the refused request never reached the agent handler");
        assertTrue(ch.isActive(), "keep-alive: the connection stays usable");
        assertEquals(1.0, metrics.registry().get("teledeploy.http.rate.limited").counter().count());

        assertEquals(429, prolog(ch).status().code(), "still empty at the same instant");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(200, prolog(ch).status().code(), "one token a second");
        assertEquals(429, prolog(ch).status().code());
        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, prolog(ch).status().code(), "a full bucket again, never more than the burst");
        }
        assertEquals(429, prolog(ch).status().code());
        assertEquals(7, dispatched.size());
        assertEquals(4.0, metrics.registry().get("teledeploy.http.rate.limited").counter().count());
    }

    @Test
    void addressesHaveABucketEachAndDownloadsAndOtherPathsAreNotCounted() {
        ClientRateLimits limits = new ClientRateLimits(1, 1, clock);
        EmbeddedChannel a = channel(limits, "10.0.0.5");
        EmbeddedChannel b = channel(limits, "10.0.0.6");
        EmbeddedChannel a2 = channel(limits, "10.0.0.5");
        assertEquals(200, prolog(a).status().code());
        assertEquals(200, prolog(b).status().code(), "another address");
        assertEquals(429, prolog(a2).status().code(), "the same address on another connection");
        for (String path : List.of("/download/1709630000/info", "/other")) {
            a.writeInbound(Unpooled.copiedBuffer("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
            FullHttpResponse r = response(a);
            assertEquals(404, r.status().code(), path + " is answered, not rate limited");
            r.release();
        }
    }

    @Test
    void aRefusedRequestAskingForCloseIsClosedOnceItsBodyIsRead() {
        ClientRateLimits limits = new ClientRateLimits(0.1, 1, clock);
        EmbeddedChannel ch = channel(limits, "10.0.0.7");
        assertEquals(200, prolog(ch).status().code());
        byte[] body = OcsClient.zlib(OcsClient.prolog(DEVICE).getBytes(StandardCharsets.UTF_8));
        String head = "POST /ocsinventory HTTP/1.1\r\nHost: x\r\nUser-Agent: OCS-NG_unified_unix_agent_v2.10.0\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        ch.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
        FullHttpResponse refused = response(ch);
        assertEquals(429, refused.status().code());
        assertEquals("10", refused.headers().get("Retry-After"), "0.1 a second: a token in 10 s");
        assertEquals("close", refused.headers().get("Connection"));
        refused.release();
        assertTrue(ch.isActive(), "not closed with the body still coming (a reset could destroy the 429)");
        ch.writeInbound(Unpooled.wrappedBuffer(body));
        ch.runPendingTasks();
        assertFalse(ch.isActive(), "closed once the body was read");
        assertEquals(1, dispatched.size());
    }

    @Test
    void fullBucketsAreForgottenAndBadSettingsAreRefused() {
        ClientRateLimits limits = new ClientRateLimits(2, 4, clock);
        assertEquals(0, limits.acquire(InetAddress.getLoopbackAddress()));
        assertEquals(1, limits.tracked());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(0, limits.tracked(), "refilled: nothing to remember");
        assertEquals("limit.requests.per.client: 0.0 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> new ClientRateLimits(0, 4, clock)).getMessage());
        assertEquals("limit.requests.burst: 0 (expected: >= 1)",
                assertThrows(IllegalArgumentException.class, () -> new ClientRateLimits(1, 0, clock)).getMessage());
    }

    @Test
    void theLimitIsOffByDefault() {
        assertEquals(0.0, config.requestsPerClient());
        EmbeddedChannel ch = channel(null, "10.0.0.8");
        assertFalse(ch.pipeline().names().contains(PipelineNames.RATE_LIMIT));
        for (int i = 0; i < 50; i++) {
            assertEquals(200, prolog(ch).status().code());
        }
    }

    private FullHttpResponse prolog(EmbeddedChannel ch) {
        byte[] body = OcsClient.zlib(OcsClient.prolog(DEVICE).getBytes(StandardCharsets.UTF_8));
        String head = "POST /ocsinventory HTTP/1.1\r\nHost: x\r\nUser-Agent: OCS-NG_unified_unix_agent_v2.10.0\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        ch.writeInbound(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body));
        return response(ch);
    }

    private static FullHttpResponse response(EmbeddedChannel ch) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        try {
            ByteBuf out;
            while ((out = ch.readOutbound()) != null) {
                decoder.writeInbound(out);
                FullHttpResponse response = decoder.readInbound();
                if (response != null) {
                    return response;
                }
            }
            throw new AssertionError("no complete response written");
        } finally {
            decoder.finishAndReleaseAll();
        }
    }
}
