package org.teledeploy.transport;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Builds the few kinds of responses the listeners send, so every error has the same shape. */
final class HttpResponses {

    private HttpResponses() {}

    /** A plain-text response whose body is {@code message} and a newline. */
    static FullHttpResponse text(HttpVersion version, HttpResponseStatus status, String message, boolean keepAlive) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }

    /** A body with a content type, or an empty 200 when {@code body} is null. */
    static FullHttpResponse ok(HttpVersion version, byte[] body, String contentType, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.OK,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (body != null) {
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        }
        HttpUtil.setContentLength(response, body == null ? 0 : body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }
}
