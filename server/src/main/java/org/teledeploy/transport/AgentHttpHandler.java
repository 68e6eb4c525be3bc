package org.teledeploy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.BodyEncoding;
import org.teledeploy.protocol.ProtocolException;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.protocol.XmlNode;
import org.teledeploy.store.StoreException;
import org.teledeploy.store.StoreOverloadedException;
import org.teledeploy.store.StoreUnavailableException;

/**
 * The agent endpoint: {@code POST /ocsinventory} (and any path below it) on the HTTP and HTTPS listeners.
 * Decodes the body (zlib, gzip or plain), parses the XML, validates DEVICEID and QUERY, hands the request to the
 * {@link QueryDispatcher} and writes the reply in the request's encoding once its future completes (after the
 * commit for data that must persist). GET on the endpoint is 400 and other methods 403, as OCS does; other
 * paths are 404. One request is handled at a time per connection (reading pauses until the reply is written).
 */
final class AgentHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AgentHttpHandler.class);
    private static final String ENDPOINT = "/ocsinventory";

    /** What every connection shares: stateless and thread-safe. */
    record Shared(BodyCodec codec, AgentXmlReader xmlReader, QueryDispatcher dispatcher) {}

    private final Shared shared;

    AgentHttpHandler(Shared shared) {
        this.shared = shared;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        RequestTimeoutHandler.requestReceived(ctx.channel());
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            rejectUndecodable(ctx, request, decoded.cause());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = path(request.uri());
        if (!path.equals(ENDPOINT) && !path.startsWith(ENDPOINT + "/")) {
            respond(ctx, HttpResponses.text(request.protocolVersion(), HttpResponseStatus.NOT_FOUND,
                    "no such path (agents use POST /ocsinventory)", keepAlive), keepAlive);
            return;
        }
        if (request.method().equals(HttpMethod.GET)) {
            respond(ctx, HttpResponses.text(request.protocolVersion(), HttpResponseStatus.BAD_REQUEST,
                    "GET is not supported on " + ENDPOINT + " (agents POST)", keepAlive), keepAlive);
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            FullHttpResponse forbidden = HttpResponses.text(request.protocolVersion(), HttpResponseStatus.FORBIDDEN,
                    "method " + AccessLog.safe(request.method().name(), 16) + " is not allowed on " + ENDPOINT, keepAlive);
            forbidden.headers().set(HttpHeaderNames.ALLOW, "POST");
            respond(ctx, forbidden, keepAlive);
            return;
        }
        handleAgentMessage(ctx, request, keepAlive);
    }

    private void handleAgentMessage(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        HttpVersion version = request.protocolVersion();
        BodyEncoding encoding;
        CompletableFuture<AgentReply> reply;
        try {
            ByteBuf content = request.content();
            byte[] body = ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false);
            BodyCodec.Decoded decoded = shared.codec().decode(body, body.length);
            encoding = decoded.encoding();
            XmlNode root = shared.xmlReader().parse(decoded.xml());
            AgentRequest agentRequest = AgentRequest.of(root, encoding,
                    request.headers().get(HttpHeaderNames.USER_AGENT), AccessLog.clientIp(ctx.channel().remoteAddress()));
            AccessLogHandler.annotate(ctx.channel(), agentRequest.deviceId(), agentRequest.query());
            reply = shared.dispatcher().dispatch(agentRequest);
        } catch (ProtocolException e) {
            refuse(ctx, version, e, keepAlive);
            return;
        }
        if (reply.isDone()) {
            complete(ctx, version, encoding, keepAlive, reply);
            return;
        }
        // Waiting for a commit: stop reading this connection until the reply is out (no pipelining surprises).
        ctx.channel().config().setAutoRead(false);
        BodyEncoding replyEncoding = encoding;
        reply.whenComplete((r, e) -> ctx.executor().execute(() -> {
            ctx.channel().config().setAutoRead(true);
            complete(ctx, version, replyEncoding, keepAlive, reply);
        }));
    }

    private void complete(ChannelHandlerContext ctx, HttpVersion version, BodyEncoding encoding, boolean keepAlive,
                          CompletableFuture<AgentReply> future) {
        AgentReply reply;
        try {
            reply = future.join();
        } catch (CompletionException e) {
            fail(ctx, version, e.getCause() == null ? e : e.getCause(), keepAlive);
            return;
        } catch (RuntimeException e) {
            fail(ctx, version, e, keepAlive);
            return;
        }
        byte[] body = reply.hasBody() ? BodyCodec.encode(reply.xml(), encoding) : null;
        String contentType = encoding == BodyEncoding.PLAIN ? "application/xml; charset=UTF-8" : "application/x-compressed";
        boolean keep = keepAlive && !reply.closeConnection();
        respond(ctx, HttpResponses.ok(version, body, contentType, keep), keep);
    }

    private void fail(ChannelHandlerContext ctx, HttpVersion version, Throwable cause, boolean keepAlive) {
        if (cause instanceof ProtocolException pe) {
            refuse(ctx, version, pe, keepAlive);
        } else if (cause instanceof StoreUnavailableException unavailable) {
            if (cause instanceof StoreOverloadedException) {
                log.warn("503 to {}: {}", AccessLog.clientIp(ctx.channel().remoteAddress()), cause.getMessage());
            } else {
                log.debug("503 to {}: {}", AccessLog.clientIp(ctx.channel().remoteAddress()), cause.getMessage());
            }
            FullHttpResponse busy = HttpResponses.text(version, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    unavailableReason(unavailable), keepAlive);
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, "60");
            respond(ctx, busy, keepAlive);
        } else if (cause instanceof StoreException) {
            log.error("500 to {}: database error: {}", AccessLog.clientIp(ctx.channel().remoteAddress()), cause.getMessage());
            respond(ctx, HttpResponses.text(version, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "database error, nothing stored", keepAlive), keepAlive);
        } else {
            log.error("500 to {}: unexpected failure", AccessLog.clientIp(ctx.channel().remoteAddress()), cause);
            respond(ctx, HttpResponses.text(version, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error", keepAlive), keepAlive);
        }
    }

    /** What the agent is told: nothing was stored, and why, in one line. */
    private static String unavailableReason(StoreUnavailableException e) {
        switch (e.reason()) {
            case "full": return "database full (no space left on the server), nothing stored; retry later";
            case "locked": return "database locked by another process, nothing stored; retry later";
            default: return "server busy, retry later";
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpVersion version, ProtocolException e, boolean keepAlive) {
        log.info("{} to {}: {}", e.status().code(), AccessLog.clientIp(ctx.channel().remoteAddress()), e.getMessage());
        respond(ctx, HttpResponses.text(version, e.status(), e.getMessage(), keepAlive), keepAlive);
    }

    /** The HTTP codec could not parse the request: the connection cannot be reused. */
    private void rejectUndecodable(ChannelHandlerContext ctx, FullHttpRequest request, Throwable cause) {
        HttpResponseStatus status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            message = "request line over limit.line.length";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            message = "request headers over limit.header.size";
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.BAD_REQUEST;
            message = "request part too long";
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            message = "malformed HTTP request (" + AccessLog.safe(String.valueOf(cause.getMessage()), 120) + ")";
        }
        log.info("{} to {}: {}", status.code(), AccessLog.clientIp(ctx.channel().remoteAddress()), message);
        respond(ctx, HttpResponses.text(HttpVersion.HTTP_1_1, status, message, false), false);
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        ChannelFuture written = ctx.writeAndFlush(response);
        RequestTimeoutHandler.responseSent(ctx.channel());
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String path(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (root instanceof javax.net.ssl.SSLException) {
            log.info("TLS failure with {}: {}", AccessLog.clientIp(ctx.channel().remoteAddress()), root.getMessage());
        } else if (root instanceof java.io.IOException) {
            log.debug("I/O error on {}: {}", ctx.channel().remoteAddress(), root.getMessage());
        } else if (root instanceof io.netty.handler.codec.PrematureChannelClosureException) {
            // A client gone in the middle of its request (found by the fault-injecting soak: 5 % of requests cut
            // gave a WARN with a stack trace each, a log flood any client could cause). Nothing was read: debug.
            log.debug("{} closed the connection in the middle of a request", ctx.channel().remoteAddress());
        } else {
            log.warn("Closing {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
