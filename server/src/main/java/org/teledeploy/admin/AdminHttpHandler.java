package org.teledeploy.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's handler on one connection: answers each whole request through {@link AdminApi}, and receives
 * uploads (which arrive as a head and chunks) through an {@link UploadReceiver}. Requests are answered one at a
 * time and in order: a service call completes its future on another thread, and the answer is written back on
 * this connection's event loop. A refused upload is answered at once; the rest of its body is read and dropped
 * (up to {@link #DRAIN_LIMIT}) before the connection closes, so that the client gets the answer instead of a
 * reset.
 */
final class AdminHttpHandler extends ChannelInboundHandlerAdapter implements UploadReceiver.Outcome {

    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    /** Body bytes of a refused upload still read (and dropped) so that the client sees the answer. */
    static final long DRAIN_LIMIT = 8L << 20;

    private final AdminApi api;
    private final Queue<FullHttpRequest> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;
    private String method = "-";
    private String path = "-";
    private HttpVersion version = HttpVersion.HTTP_1_1;
    private boolean keepAlive;
    private UploadReceiver upload;
    /** Bytes of a refused body that may still be dropped, or -1 when not draining. */
    private long draining = -1;

    AdminHttpHandler(AdminApi api) {
        this.api = api;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            if (busy) {
                waiting.add(request); // pipelined: answered in order
            } else {
                handle(request);
            }
        } else if (msg instanceof HttpRequest request) {
            ReferenceCountUtil.release(msg);
            if (busy) {
                ctx.close(); // an upload pipelined behind another request: not supported
            } else {
                startUpload(request);
            }
        } else if (msg instanceof HttpContent content) {
            bodyChunk(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- whole requests -------------------------------------------------------------------------------------

    private void handle(FullHttpRequest request) {
        begin(request);
        CompletableFuture<ApiResponse> answer;
        try {
            if (request.decoderResult().isFailure()) {
                keepAlive = false;
                throw ApiException.badRequest("malformed HTTP request ("
                        + request.decoderResult().cause().getMessage() + ")");
            }
            AdminApi.Call call = api.admit(request);
            path = call.path();
            byte[] body = ByteBufUtil.getBytes(request.content());
            answer = api.dispatch(call, method, body);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        } finally {
            request.release();
        }
        if (answer == null) {
            answer = CompletableFuture.failedFuture(new IllegalStateException("handler returned no future"));
        }
        String m = method;
        String p = path;
        HttpVersion v = version;
        boolean reuse = keepAlive;
        answer.whenComplete((response, failure) -> {
            FullHttpResponse written = encode(response, failure, m, p, v, reuse);
            ctx.executor().execute(() -> finish(written, reuse));
        });
    }

    /** Serialises the answer (on the thread that completed it, not the event loop). */
    private FullHttpResponse encode(ApiResponse response, Throwable failure, String m, String p, HttpVersion v,
                                    boolean reuse) {
        Throwable problem = failure;
        if (problem == null) {
            try {
                return Responses.success(v, response, reuse);
            } catch (RuntimeException e) {
                problem = e;
            }
        }
        ApiException error = ApiErrors.of(problem);
        ApiErrors.logAnswered(ApiErrors.client(ctx.channel()), m, p, error);
        return Responses.error(v, error, reuse);
    }

    private void begin(HttpRequest request) {
        busy = true;
        method = request.method().name();
        String uri = request.uri();
        int q = uri.indexOf('?');
        path = q < 0 ? uri : uri.substring(0, q);
        version = request.protocolVersion();
        keepAlive = HttpUtil.isKeepAlive(request);
        ctx.channel().config().setAutoRead(false);
    }

    /** Writes the answer of the current request, then goes on with the next one. */
    private void finish(FullHttpResponse response, boolean reuse) {
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!reuse) {
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        busy = false;
        FullHttpRequest next = waiting.poll();
        if (next != null) {
            handle(next);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    // ---- uploads --------------------------------------------------------------------------------------------

    private void startUpload(HttpRequest request) {
        begin(request);
        ctx.channel().config().setAutoRead(true);
        boolean expectContinue = HttpUtil.is100ContinueExpected(request);
        long length = HttpUtil.getContentLength(request, -1L);
        try {
            AdminApi.Call call = api.admit(request);
            path = call.path();
            if (call.segments().size() != 4 || !call.query().isEmpty()) {
                throw ApiException.notFound("no such path: " + path + " (expected: PUT /api/v1/uploads/{fileName})");
            }
            String fileName = UploadStore.checkFileName(call.segments().get(3));
            UploadStore store = api.uploads();
            if (length > store.maxSize()) {
                throw ApiException.tooLarge("upload: " + length + " bytes, over admin.upload.max.size ("
                        + store.maxSize() + " bytes)");
            }
            upload = new UploadReceiver(ctx.channel(), store.begin(fileName), store.maxSize(), this);
            if (expectContinue) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(version, HttpResponseStatus.CONTINUE));
            }
        } catch (RuntimeException e) {
            refuse(ApiErrors.of(e), expectContinue || length > DRAIN_LIMIT, length == 0);
        }
    }

    private void bodyChunk(HttpContent content) {
        if (upload != null) {
            UploadReceiver receiver = upload;
            if (content instanceof LastHttpContent) {
                upload = null;
            }
            receiver.content(content);
            return;
        }
        try {
            if (draining < 0) {
                return; // a stray chunk: nothing is being received
            }
            draining -= content.content().readableBytes();
            if (content instanceof LastHttpContent || draining < 0) {
                draining = -1;
                ctx.close();
            }
        } finally {
            content.release();
        }
    }

    @Override
    public void stored(ApiResponse response) {
        finish(Responses.success(version, response, keepAlive), keepAlive);
    }

    @Override
    public void failed(ApiException error, boolean bodyEnded) {
        upload = null;
        refuse(error, false, bodyEnded);
    }

    /**
     * Answers a refused upload and closes the connection: at once when no body will come (or too much would),
     * else after the rest of the body is dropped.
     */
    private void refuse(ApiException error, boolean closeNow, boolean bodyEnded) {
        ApiErrors.logAnswered(ApiErrors.client(ctx.channel()), method, path, error);
        ChannelFuture written = ctx.writeAndFlush(Responses.error(version, error, false));
        if (closeNow || bodyEnded) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else {
            draining = DRAIN_LIMIT;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        if (upload != null) {
            upload.interrupted();
            upload = null;
        }
        FullHttpRequest next;
        while ((next = waiting.poll()) != null) {
            next.release();
        }
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.warn("Closing admin connection {} after an unexpected error", ApiErrors.client(context.channel()),
                    cause);
        }
        context.close();
    }
}
