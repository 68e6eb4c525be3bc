package org.teledeploy.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;

/**
 * Collects the small JSON bodies of the admin API (up to {@link #MAX_JSON_BODY}; larger: 413) and lets an upload
 * ({@code PUT /api/v1/uploads/...}) through untouched, head then chunks, so that a multi-gigabyte archive is
 * streamed to disk and never held in memory.
 */
final class AdminAggregator extends HttpObjectAggregator {

    /** Largest JSON request body. */
    static final int MAX_JSON_BODY = 1 << 20;

    /** The longest a refused client may go on sending before its connection is closed anyway. */
    static final long LINGER_MILLIS = 2_000;

    private boolean streaming;

    AdminAggregator() {
        super(MAX_JSON_BODY);
    }

    /** Whether a request is an upload, streamed instead of aggregated. */
    static boolean isUpload(HttpRequest request) {
        return request.decoderResult().isSuccess() && request.method().equals(HttpMethod.PUT)
                && request.uri().startsWith(AdminApi.UPLOADS);
    }

    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
        if (msg instanceof HttpRequest request) {
            streaming = isUpload(request);
            if (streaming) {
                return false;
            }
        } else if (streaming && msg instanceof HttpContent) {
            if (msg instanceof LastHttpContent) {
                streaming = false;
            }
            return false;
        }
        return super.acceptInboundMessage(msg);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ApiException e = ApiException.tooLarge("body: over " + MAX_JSON_BODY + " bytes (expected: a small JSON"
                + " object; archives go to PUT /api/v1/uploads/{fileName})");
        ApiErrors.logAnswered(ApiErrors.client(ctx.channel()), "-", "-", e);
        ctx.writeAndFlush(Responses.error(oversized.protocolVersion(), e, false))
                .addListener(written -> closeAfterTheBody(ctx.channel(), written.isSuccess()));
    }

    /**
     * Closes without losing the 413. Closing a socket whose input was not all read makes the kernel answer with a
     * reset, and a client still sending its body may then never read the answer (the JDK client reports "header
     * parser received no bytes"). So the output is shut down (the client reads the whole answer, then the end),
     * what the client still sends is read and dropped (this aggregator discards the rest of an oversized
     * message), and the connection is closed when the client closes its side, or after {@link #LINGER_MILLIS}.
     */
    private static void closeAfterTheBody(Channel channel, boolean written) {
        if (!written || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true);
        duplex.shutdownOutput();
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
}
