package org.teledeploy.admin;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Collects the small JSON bodies of the admin API (up to {@link #MAX_JSON_BODY}; larger: 413) and lets an upload
 * ({@code PUT /api/v1/uploads/...}) through untouched, head then chunks, so that a multi-gigabyte archive is
 * streamed to disk and never held in memory.
 */
final class AdminAggregator extends HttpObjectAggregator {

    /** Largest JSON request body. */
    static final int MAX_JSON_BODY = 1 << 20;

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
                .addListener(ChannelFutureListener.CLOSE);
    }
}
