package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * {@code limit.requests.per.client} on a real server (its clock moved by the test): past the burst an agent gets 429
 * with {@code Retry-After} on the same keep-alive connection, the refusal is in {@code /metrics}, a report sent
 * while refused is not stored, and the clock refills the bucket.
 */
class RequestRateLimitListenerTest {

    private static final String DEVICE = "rate-2026-01-01-00-00-00";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().clock(clock)
            .with("limit.requests.per.client", "0.5").with("limit.requests.burst", "2");

    @Test
    void pastTheBurstAnAgentGets429UntilTheBucketRefills() throws Exception {
        try (Socket socket = server.client().open()) {
            assertEquals(200, send(socket, OcsClient.prolog(DEVICE)).status());
            assertEquals(200, send(socket, OcsClient.prolog(DEVICE)).status());
            OcsClient.Response refused = send(socket, OcsClient.downloadReport(DEVICE, "1764000001", "SUCCESS"));
            assertEquals(429, refused.status());
            assertEquals("2", refused.header("Retry-After"), "0.5 a second: a token in 2 s");
            assertTrue(refused.text().startsWith("too many requests from 127.0.0.1 (limit.requests.per.client = 0.5/s,"
                    + " burst 2)"), refused.text());
            assertEquals(1.0, server.server().metrics().registry().get("teledeploy.http.rate.limited").counter()
                    .count());
            server.server().flushWrites();
            assertEquals(0, (int) server.server().reader().read(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM download_reports")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).join(), "the refused report was not stored");

            clock.advance(Duration.ofSeconds(2));
            assertEquals(200, send(socket, OcsClient.downloadReport(DEVICE, "1764000001", "SUCCESS")).status(),
                    "the same connection, once a token is back");
        }
    }

    private static OcsClient.Response send(Socket socket, String xml) throws Exception {
        byte[] body = OcsClient.zlib(xml.getBytes(StandardCharsets.UTF_8));
        OcsClient.send(socket, OcsClient.concat(("POST /ocsinventory HTTP/1.1\r\nHost: x\r\nUser-Agent: "
                + "OCS-NG_unified_unix_agent_v2.10.0\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), body));
        return OcsClient.read(socket.getInputStream());
    }
}
