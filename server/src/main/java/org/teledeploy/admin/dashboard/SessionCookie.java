package org.teledeploy.admin.dashboard;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The session cookie: {@code HttpOnly} (no script can read it), {@code SameSite=Strict} (no other site can make
 * the browser send it, which is what protects the logout form), {@code Path=/}, no expiry (gone with the browser;
 * the server ends it after its idle time anyway), and {@code Secure} when the connection is TLS or a reverse
 * proxy says it received the request over TLS ({@code X-Forwarded-Proto: https}): the admin listener itself is
 * plain HTTP on localhost, where a Secure cookie would never be sent back.
 */
final class SessionCookie {

    static final String NAME = "teledeploy_session";

    private SessionCookie() {}

    /** The Set-Cookie value that starts a session. */
    static String set(String sessionId, boolean secure) {
        return NAME + "=" + sessionId + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that makes the browser forget it. */
    static String clear(boolean secure) {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Every value of the session cookie in a Cookie header (a browser may send a stale one too). */
    static List<String> values(String cookieHeader) {
        List<String> out = new ArrayList<>();
        if (cookieHeader == null || cookieHeader.isEmpty()) {
            return out;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decodeAll(cookieHeader)) {
            if (c.name().equals(NAME) && !c.value().isEmpty()) {
                out.add(c.value());
            }
        }
        return out;
    }
}
