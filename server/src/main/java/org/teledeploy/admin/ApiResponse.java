package org.teledeploy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A successful admin API answer before it is written: its status and the value written as its JSON body.
 *
 * @param body maps, lists, strings, numbers, booleans or null (see {@link Views})
 */
record ApiResponse(HttpResponseStatus status, Object body) {

    static ApiResponse ok(Object body) {
        return new ApiResponse(HttpResponseStatus.OK, body);
    }

    static ApiResponse created(Object body) {
        return new ApiResponse(HttpResponseStatus.CREATED, body);
    }
}
