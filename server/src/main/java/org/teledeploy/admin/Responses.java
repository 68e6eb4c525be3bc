package org.teledeploy.admin;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP responses of the admin API: JSON bodies, and the one error shape {@code {"error", "detail"}}. */
final class Responses {

    static final String JSON = "application/json; charset=UTF-8";

    private Responses() {}

    /** A JSON response of an already serialized body. */
    static FullHttpResponse json(HttpVersion version, HttpResponseStatus status, byte[] body, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, JSON)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }

    static FullHttpResponse success(HttpVersion version, ApiResponse answer, boolean keepAlive) {
        return json(version, answer.status(), Json.write(answer.body()), keepAlive);
    }

    static FullHttpResponse error(HttpVersion version, ApiException e, boolean keepAlive) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("detail", e.detail());
        FullHttpResponse response = json(version, e.status(), Json.write(body), keepAlive);
        e.headers().forEach((name, value) -> response.headers().set(name, value));
        return response;
    }
}
