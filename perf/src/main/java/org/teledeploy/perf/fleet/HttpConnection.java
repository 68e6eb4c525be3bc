package org.teledeploy.perf.fleet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection, one request at a time (agents do not pipeline). The request is written as raw bytes so
 * that fault injection can send only a part of it; the response is decoded by Netty's {@code HttpResponseDecoder}
 * and collected here: status, up to {@code keepBytes} of the body and its size; the body can feed a digest.
 */
public final class HttpConnection extends SimpleChannelInboundHandler<HttpObject> {

    private final Channel channel;
    private Exchange current;

    HttpConnection(Channel channel) {
        this.channel = channel;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Sends {@code request} (released here) and completes with the response, or fails with a
     * {@link RequestException} after {@code timeoutMillis}.
     *
     * @param digest updated with the body (a package's digest runs over all its fragments), or null
     */
    public CompletableFuture<Response> send(ByteBuf request, int keepBytes, MessageDigest digest, long timeoutMillis) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        channel.eventLoop().execute(() -> start(request, keepBytes, digest, timeoutMillis, future));
        return future;
    }

    /** Writes the first {@code bytes} of {@code request} (released here), then closes: a request cut in the middle. */
    public CompletableFuture<Void> sendCut(ByteBuf request, int bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ByteBuf part = request.retainedSlice(request.readerIndex(), Math.min(bytes, request.readableBytes()));
        request.release();
        channel.writeAndFlush(part).addListener(f -> channel.close().addListener(c -> done.complete(null)));
        return done;
    }

    public void close() {
        channel.close();
    }

    private void start(ByteBuf request, int keepBytes, MessageDigest digest, long timeoutMillis,
                       CompletableFuture<Response> future) {
        if (current != null) {
            request.release();
            future.completeExceptionally(new RequestException("client", "a request is already in flight"));
            return;
        }
        if (!channel.isActive()) {
            request.release();
            future.completeExceptionally(new RequestException("closed", "connection closed before the request"));
            return;
        }
        Exchange exchange = new Exchange(future, keepBytes, digest);
        current = exchange;
        exchange.timeout = channel.eventLoop().schedule(() -> fail(exchange, new RequestException("timeout",
                "no response within " + timeoutMillis + " ms")), timeoutMillis, TimeUnit.MILLISECONDS);
        channel.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(exchange, new RequestException("write", String.valueOf(f.cause())));
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        Exchange exchange = current;
        if (exchange == null) {
            ctx.close(); // bytes nobody asked for
            return;
        }
        if (msg.decoderResult().isFailure()) {
            fail(exchange, new RequestException("bad-response", String.valueOf(msg.decoderResult().cause())));
            return;
        }
        if (msg instanceof HttpResponse response) {
            exchange.status = response.status().code();
            exchange.keepAlive = HttpUtil.isKeepAlive(response);
        }
        if (msg instanceof HttpContent content) {
            ByteBuf data = content.content();
            int n = data.readableBytes();
            exchange.bytes += n;
            if (exchange.digest != null && n > 0) {
                exchange.digest.update(data.nioBuffer());
            }
            int keep = (int) Math.min(n, Math.max(0, exchange.keepBytes - exchange.body.size()));
            if (keep > 0) {
                byte[] copy = new byte[keep];
                data.getBytes(data.readerIndex(), copy);
                exchange.body.write(copy, 0, keep);
            }
            if (msg instanceof LastHttpContent) {
                finish(exchange);
            }
        }
    }

    private void finish(Exchange exchange) {
        current = null;
        exchange.timeout.cancel(false);
        if (!exchange.keepAlive) {
            channel.close();
        }
        exchange.future.complete(new Response(exchange.status, exchange.body.toByteArray(), exchange.bytes,
                exchange.keepAlive));
    }

    private void fail(Exchange exchange, RequestException e) {
        if (current != exchange) {
            return;
        }
        current = null;
        exchange.timeout.cancel(false);
        channel.close();
        exchange.future.completeExceptionally(e);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            fail(current, new RequestException("closed", "connection closed by the server mid-response"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (current != null) {
            String kind = cause.getClass().getSimpleName().contains("Ssl") ? "tls" : "io";
            fail(current, new RequestException(kind, String.valueOf(cause.getMessage())));
        } else {
            ctx.close();
        }
    }

    /** The request in flight. */
    private static final class Exchange {
        final CompletableFuture<Response> future;
        final int keepBytes;
        final MessageDigest digest;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        ScheduledFuture<?> timeout;
        int status;
        boolean keepAlive;
        long bytes;

        Exchange(CompletableFuture<Response> future, int keepBytes, MessageDigest digest) {
            this.future = future;
            this.keepBytes = keepBytes;
            this.digest = digest;
        }
    }
}
