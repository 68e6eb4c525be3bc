package org.teledeploy.perf.fleet;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP response as the simulator keeps it: the status, the first bytes of the body (replies and info files
 * are small; fragments are only counted and hashed), and the body size.
 */
public record Response(int status, byte[] body, long bodyBytes, boolean keepAlive) {

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
