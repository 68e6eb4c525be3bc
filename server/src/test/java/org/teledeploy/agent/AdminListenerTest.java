package org.teledeploy.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/** The admin listener answers /health with the server's state, unauthenticated; other paths outside /api/v1/ are 404. */
class AdminListenerTest {

    @RegisterExtension
    static final TeledeployServerExtension server = TeledeployServerExtension.create();

    @Test
    void healthReportsDevicesAndCertificate() throws Exception {
        server.client().post(OcsClient.inventory("web01-2024-03-05-09-12-44", "web01", "Debian", 1, null));
        OcsClient admin = new OcsClient("127.0.0.1", server.server().adminPort());
        OcsClient.Response health = admin.exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, health.status());
        assertEquals("application/json", health.header("content-type"));
        String json = health.text();
        assertTrue(json.matches("\\{\"status\":\"ok\",\"version\":\"[^\"]+\",\"devices\":1,\"storeQueue\":\\d+,"
                + "\"connections\":\\d+,\"certificateNotAfter\":\"\\d{4}-.+Z\"}"), json);
        OcsClient.Response other = admin.exchange("GET /api HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(404, other.status());
        OcsClient.Response post = admin.exchange("POST /health HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(405, post.status());
    }
}
