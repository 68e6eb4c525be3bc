package org.teledeploy.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.concurrent.PromiseCombiner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.packages.DownloadObserver;
import org.teledeploy.packages.InfoDocument;
import org.teledeploy.packages.PackageContent;
import org.teledeploy.packages.PublishedPackage;

/**
 * Serves the {@code /download} tree that agents reach through the default INFO_LOC and PACK_LOC:
 * {@code GET/HEAD /download/<ID>/info} (from {@link PackageContent#info}, on both listeners) and
 * {@code /download/<ID>/<ID>-<n>} (the fragment file, zero-copy on HTTP, chunked through TLS on HTTPS), with
 * validators, 304s and single byte ranges. Every other path goes on to the agent endpoint untouched.
 *
 * <p>A fragment is served only once {@link PackageContent#verifyFragment} says the file matches the digest recorded
 * at build (from memory, or after hashing it off the event loop); a corrupt one is a 500 with a one-line reason.
 *
 * <p>Reading pauses while an info file is looked up, a fragment checked and a fragment written, so that a client
 * cannot hand in requests (and have fragment files opened) faster than their bodies go out. The
 * {@link DownloadObserver} hears of every whole body written by a GET (not HEAD, 304 or 206), once written.
 */
final class DownloadHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DownloadHandler.class);
    private static final String INFO_TYPE = "application/xml; charset=UTF-8";
    private static final String FRAGMENT_TYPE = "application/octet-stream";
    /** Fragments never change for an ID (shared/ocs-protocol.md §4.1); the info file may be rewritten by an edit. */
    private static final String FRAGMENT_CACHE = "public, max-age=31536000, immutable";
    private static final int CHUNK_SIZE = 64 * 1024;

    /** What every connection shares: the published packages and who hears of completed downloads. */
    record Shared(PackageContent content, DownloadObserver observer) {}

    /** What is kept of a request once its buffer is released. */
    private record Exchange(HttpVersion version, boolean head, boolean keepAlive, HttpHeaders headers, String clientIp) {}

    private final Shared shared;
    private final boolean https;
    /** Info lookups and fragment writes in progress on this connection; reading is paused while there are any. */
    private int pauses;

    /** @param https true on the HTTPS listener: fragments go through TLS as chunks, and https-only ones are served */
    DownloadHandler(Shared shared, boolean https) {
        this.shared = shared;
        this.https = https;
    }

    /** A failed handshake is told to the observer: it explains an agent stuck before its info file. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            Throwable cause = handshake.cause();
            String reason = cause == null ? "handshake failed" : String.valueOf(cause.getMessage());
            shared.observer().tlsFailed(AccessLog.clientIp(ctx.channel().remoteAddress()), AccessLog.safe(reason, 200));
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || request.decoderResult().isFailure()
                || !DownloadPath.isDownload(path(request.uri()))) {
            ctx.fireChannelRead(msg); // the agent handler answers undecodable requests and other paths
            return;
        }
        try {
            RequestTimeoutHandler.requestReceived(ctx.channel());
            Exchange exchange = new Exchange(request.protocolVersion(), request.method().equals(HttpMethod.HEAD),
                    HttpUtil.isKeepAlive(request), request.headers(),
                    AccessLog.clientIp(ctx.channel().remoteAddress()));
            serve(ctx, request, exchange);
        } finally {
            request.release();
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request, Exchange exchange) {
        try {
            HttpMethod method = request.method();
            if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                throw new DownloadRefusal(HttpResponseStatus.METHOD_NOT_ALLOWED, "method "
                        + AccessLog.safe(method.name(), 16) + " is not allowed on " + DownloadPath.ROOT + " (GET or HEAD)")
                        .with(HttpHeaderNames.ALLOW, "GET, HEAD");
            }
            DownloadPath target = DownloadPath.parse(path(request.uri()));
            PublishedPackage pkg = shared.content().find(target.packageId())
                    .orElseThrow(() -> noPackage(target.packageId()));
            if (target.isInfo()) {
                serveInfo(ctx, exchange, pkg.id());
            } else {
                serveFragment(ctx, exchange, pkg, target.fragment());
            }
        } catch (DownloadRefusal refusal) {
            refuse(ctx, exchange, refusal);
        } catch (RuntimeException e) {
            log.error("500 to {}: unexpected failure serving {}", exchange.clientIp(),
                    AccessLog.safe(request.uri(), 256), e);
            refuse(ctx, exchange, new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"));
        }
    }

    // ---- info file ---------------------------------------------------------------------------------------------

    private void serveInfo(ChannelHandlerContext ctx, Exchange exchange, String id) {
        CompletableFuture<InfoDocument> future = shared.content().info(id);
        if (future.isDone()) {
            completeInfo(ctx, exchange, id, future);
            return;
        }
        // A cache miss loads on the package executor: stop reading this connection until the answer is out.
        pauseReading(ctx);
        future.whenComplete((document, failure) -> ctx.executor().execute(() -> {
            resumeReading(ctx);
            completeInfo(ctx, exchange, id, future);
        }));
    }

    private void completeInfo(ChannelHandlerContext ctx, Exchange exchange, String id,
                              CompletableFuture<InfoDocument> future) {
        InfoDocument document;
        try {
            document = future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause(); // a cache loader's failure may come wrapped more than once
            }
            if (cause instanceof NoSuchElementException) {
                refuse(ctx, exchange, noPackage(id));
            } else {
                log.error("500 to {}: cannot read the info file of package {}", exchange.clientIp(), id, cause);
                refuse(ctx, exchange, new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "cannot read info file"));
            }
            return;
        }
        HttpHeaders validators = validators(document.etag(), document.modifiedAt(), HttpHeaderValues.NO_CACHE);
        if (Preconditions.notModified(exchange.headers(), document.etag(), document.modifiedAt())) {
            respond(ctx, exchange, notModified(exchange, validators));
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(exchange.version(), HttpResponseStatus.OK,
                exchange.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(document.bytes()));
        response.headers().set(validators).set(HttpHeaderNames.CONTENT_TYPE, INFO_TYPE);
        HttpUtil.setContentLength(response, document.length());
        HttpUtil.setKeepAlive(response, exchange.keepAlive());
        ChannelFuture written = respond(ctx, exchange, response);
        if (!exchange.head()) {
            written.addListener(f -> {
                if (f.isSuccess()) {
                    notifyObserver(() -> shared.observer().infoServed(exchange.clientIp(), id));
                }
            });
        }
    }

    // ---- fragments ---------------------------------------------------------------------------------------------

    private void serveFragment(ChannelHandlerContext ctx, Exchange exchange, PublishedPackage pkg, int n)
            throws DownloadRefusal {
        if (n > pkg.fragments()) {
            throw new DownloadRefusal(HttpResponseStatus.NOT_FOUND,
                    "package " + pkg.id() + " has " + pkg.fragments() + " fragments");
        }
        if (pkg.httpsOnly() && !https) {
            throw new DownloadRefusal(HttpResponseStatus.FORBIDDEN, "package " + pkg.id() + " is served over HTTPS only");
        }
        CompletableFuture<Optional<String>> verdict = shared.content().verifyFragment(pkg, n);
        if (verdict.isDone()) {
            serveChecked(ctx, exchange, pkg, n, verdict);
            return;
        }
        // The file is being hashed on an executor: stop reading this connection until the answer is out.
        pauseReading(ctx);
        verdict.whenComplete((problem, failure) -> ctx.executor().execute(() -> {
            resumeReading(ctx);
            serveChecked(ctx, exchange, pkg, n, verdict);
        }));
    }

    /** Serves a fragment whose digest check has finished, or refuses it (500, the connection stays usable). */
    private void serveChecked(ChannelHandlerContext ctx, Exchange exchange, PublishedPackage pkg, int n,
                              CompletableFuture<Optional<String>> verdict) {
        try {
            Optional<String> problem = verdict.join();
            if (problem.isPresent()) {
                throw new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, problem.get());
            }
            serveFile(ctx, exchange, pkg, n);
        } catch (DownloadRefusal refusal) {
            refuse(ctx, exchange, refusal);
        } catch (RuntimeException e) {
            log.error("500 to {}: unexpected failure serving fragment {}-{}", exchange.clientIp(), pkg.id(), n, e);
            refuse(ctx, exchange, new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"));
        }
    }

    private void serveFile(ChannelHandlerContext ctx, Exchange exchange, PublishedPackage pkg, int n)
            throws DownloadRefusal {
        String etag = pkg.fragmentEtag(n);
        long size = pkg.fragmentSize(n);
        HttpHeaders validators = validators(etag, pkg.publishedAt(), FRAGMENT_CACHE);
        if (Preconditions.notModified(exchange.headers(), etag, pkg.publishedAt())) {
            respond(ctx, exchange, notModified(exchange, validators));
            return;
        }
        String rangeHeader = exchange.headers().get(HttpHeaderNames.RANGE);
        ByteRange range = rangeHeader != null && Preconditions.rangeApplies(exchange.headers(), etag, pkg.publishedAt())
                ? ByteRange.parse(rangeHeader, size) : null;
        long offset = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();

        HttpResponse head = new DefaultHttpResponse(exchange.version(),
                range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
        head.headers().set(validators)
                .set(HttpHeaderNames.CONTENT_TYPE, FRAGMENT_TYPE)
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (range != null) {
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
        }
        HttpUtil.setContentLength(head, length);
        HttpUtil.setKeepAlive(head, exchange.keepAlive());

        FileChannel file = open(exchange, pkg, n);
        if (exchange.head()) {
            close(file);
            FullHttpResponse empty = new DefaultFullHttpResponse(exchange.version(), head.status(), Unpooled.EMPTY_BUFFER);
            empty.headers().set(head.headers());
            respond(ctx, exchange, empty);
            return;
        }
        sendFile(ctx, exchange, head, file, offset, length, pkg.id() + "-" + n, () -> {
            if (range == null) {
                notifyObserver(() -> shared.observer().fragmentServed(exchange.clientIp(), pkg.id(), n, pkg.fragments()));
            }
        });
    }

    /** Opens fragment {@code n} and checks it is the file the package describes; the caller owns the channel. */
    private static FileChannel open(Exchange exchange, PublishedPackage pkg, int n) throws DownloadRefusal {
        String name = pkg.id() + "-" + n;
        FileChannel file;
        try {
            file = FileChannel.open(pkg.fragmentPath(n), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            log.warn("404 to {}: fragment file {} is missing", exchange.clientIp(), pkg.fragmentPath(n));
            throw new DownloadRefusal(HttpResponseStatus.NOT_FOUND, "fragment " + name + " is missing on the server");
        } catch (IOException e) {
            log.error("500 to {}: cannot open fragment file {}: {}", exchange.clientIp(), pkg.fragmentPath(n), e.toString());
            throw new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot read fragment " + name);
        }
        long actual;
        try {
            actual = file.size();
        } catch (IOException e) {
            close(file);
            log.error("500 to {}: cannot read the size of {}: {}", exchange.clientIp(), pkg.fragmentPath(n), e.toString());
            throw new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot read fragment " + name);
        }
        if (actual != pkg.fragmentSize(n)) {
            close(file);
            log.error("500 to {}: fragment file {} has {} bytes, its package says {}: not serving it",
                    exchange.clientIp(), pkg.fragmentPath(n), actual, pkg.fragmentSize(n));
            throw new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "fragment " + name + " on disk does not match its package");
        }
        return file;
    }

    /**
     * Writes the head and {@code length} bytes of {@code file} from {@code offset}: a {@link DefaultFileRegion}
     * (sendfile) on HTTP, an {@link HttpChunkedInput} through the chunked writer on HTTPS. Both own the file from
     * here on and close it when written or when the write fails.
     */
    private void sendFile(ChannelHandlerContext ctx, Exchange exchange, HttpResponse head, FileChannel file,
                          long offset, long length, String name, Runnable whenWritten) throws DownloadRefusal {
        Object body;
        if (https) {
            try {
                body = new HttpChunkedInput(new ChunkedNioFile(file, offset, length, CHUNK_SIZE));
            } catch (IOException e) {
                close(file);
                log.error("500 to {}: cannot read fragment {}: {}", exchange.clientIp(), name, e.toString());
                throw new DownloadRefusal(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot read fragment " + name);
            }
        } else {
            body = new DefaultFileRegion(file, offset, length);
        }
        pauseReading(ctx); // no more requests, hence no more open files, until this one is written
        ctx.write(head);
        ChannelFuture done;
        if (https) {
            done = ctx.writeAndFlush(body); // HttpChunkedInput ends with its own LastHttpContent
        } else {
            ChannelPromise both = ctx.newPromise();
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            combiner.add(ctx.write(body));
            combiner.add(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            combiner.finish(both);
            done = both;
        }
        RequestTimeoutHandler.responseSent(ctx.channel());
        done.addListener(f -> {
            resumeReading(ctx);
            if (f.isSuccess()) {
                whenWritten.run();
            } else {
                log.debug("fragment {} to {} interrupted: {}", name, exchange.clientIp(), String.valueOf(f.cause()));
                ctx.close();
            }
        });
        if (!exchange.keepAlive()) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- responses ---------------------------------------------------------------------------------------------

    private static HttpHeaders validators(String etag, long modifiedAt, CharSequence cacheControl) {
        return new DefaultHttpHeaders()
                .set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.LAST_MODIFIED, Preconditions.httpDate(modifiedAt))
                .set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    }

    private static FullHttpResponse notModified(Exchange exchange, HttpHeaders validators) {
        FullHttpResponse response = new DefaultFullHttpResponse(exchange.version(), HttpResponseStatus.NOT_MODIFIED,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(validators);
        HttpUtil.setKeepAlive(response, exchange.keepAlive());
        return response;
    }

    private static DownloadRefusal noPackage(String id) {
        return new DownloadRefusal(HttpResponseStatus.NOT_FOUND, "no package " + id);
    }

    private void refuse(ChannelHandlerContext ctx, Exchange exchange, DownloadRefusal refusal) {
        log.info("{} to {}: {}", refusal.status().code(), exchange.clientIp(), refusal.getMessage());
        FullHttpResponse response = HttpResponses.text(exchange.version(), refusal.status(), refusal.getMessage(),
                exchange.keepAlive());
        response.headers().add(refusal.headers());
        respond(ctx, exchange, response);
    }

    private static ChannelFuture respond(ChannelHandlerContext ctx, Exchange exchange, FullHttpResponse response) {
        ChannelFuture written = ctx.writeAndFlush(response);
        RequestTimeoutHandler.responseSent(ctx.channel());
        if (!exchange.keepAlive()) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        return written;
    }

    private void pauseReading(ChannelHandlerContext ctx) {
        if (pauses++ == 0) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void resumeReading(ChannelHandlerContext ctx) {
        if (--pauses == 0) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static void notifyObserver(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("The download observer failed", e);
        }
    }

    private static void close(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            log.debug("closing a fragment file: {}", e.toString());
        }
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
