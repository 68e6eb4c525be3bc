package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The admin pipeline's aggregator: an upload goes through as its head and its chunks, never collected (so its
 * size is bounded by disk, not memory), while JSON calls arrive whole and a JSON body over 1 MiB is a 413.
 */
class AdminAggregatorTest {

    @Test
    void anUploadPassesThroughInPiecesAndTheNextRequestIsAggregatedAgain() {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminAggregator());
        HttpRequest put = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/api/v1/uploads/big.bin");
        HttpUtil.setContentLength(put, 8L << 20);
        HttpContent first = new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[4 << 20]));
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[4 << 20]));
        channel.writeInbound(put, first, last);
        assertSame(put, channel.readInbound());
        assertSame(first, channel.readInbound(), "chunks are not copied into one buffer");
        assertSame(last, channel.readInbound());
        first.release();
        last.release();

        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/groups");
        HttpUtil.setContentLength(post, 2);
        channel.writeInbound(post, new DefaultLastHttpContent(Unpooled.copiedBuffer("{}", StandardCharsets.US_ASCII)));
        FullHttpRequest whole = assertInstanceOf(FullHttpRequest.class, channel.readInbound());
        assertEquals("{}", whole.content().toString(StandardCharsets.US_ASCII));
        whole.release();
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void aJsonBodyOver1MiBIs413AndTheConnectionCloses() {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminAggregator());
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/packages");
        HttpUtil.setContentLength(post, (1 << 20) + 1);
        channel.writeInbound(post);
        FullHttpResponse response = channel.readOutbound();
        assertEquals(413, response.status().code());
        assertEquals("{\"error\":\"too_large\",\"detail\":\"body: over 1048576 bytes (expected: a small JSON object;"
                + " archives go to PUT /api/v1/uploads/{fileName})\"}", response.content().toString(StandardCharsets.UTF_8));
        response.release();
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }
}
