package org.teledeploy.perf.fleet;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The garbage a faulty or hostile client sends: raw random bytes, a POST whose body is not zlib, zlib of broken
 * XML, a traversal path. The server must answer 4xx (or close) and keep serving everybody else.
 */
final class Garbage {

    private Garbage() {}

    /** A name for the stats and the raw bytes. */
    record Sample(String kind, byte[] bytes) {}

    static Sample next(Endpoint endpoint, String agentPath, String userAgent) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        switch (r.nextInt(4)) {
            case 0 -> {
                byte[] b = new byte[64 + r.nextInt(1024)];
                r.nextBytes(b);
                b[0] = 'X'; // never a valid method by accident
                b[b.length - 4] = '\r';
                b[b.length - 3] = '\n';
                b[b.length - 2] = '\r';
                b[b.length - 1] = '\n';
                return new Sample("random-bytes", b);
            }
            case 1 -> {
                byte[] body = new byte[16 + r.nextInt(512)];
                r.nextBytes(body);
                body[0] = 0x00; // neither zlib, gzip nor '<'
                return new Sample("not-zlib", bytes(FleetTransport.post(endpoint, agentPath, userAgent, body)));
            }
            case 2 -> {
                byte[] body = AgentBodies.zlib("<REQUEST><DEVICEID>x</DEVICEID><QUERY>PROLOG</QUE");
                return new Sample("broken-xml", bytes(FleetTransport.post(endpoint, agentPath, userAgent, body)));
            }
            default -> {
                return new Sample("traversal", ("GET /download/..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: "
                        + endpoint.hostHeader() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static byte[] bytes(io.netty.buffer.ByteBuf buf) {
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return b;
        } finally {
            buf.release();
        }
    }
}
