package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/** {@code limit.connections.per.client}: one address cannot hold more agent connections than that. */
class PerClientConnectionLimitTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("limit.connections.per.client", "2");

    @Test
    void aThirdConnectionFromOneAddressIsClosedAndAFreedSlotIsUsableAgain() throws Exception {
        OcsClient client = server.client();
        try (Socket first = client.open(); Socket second = client.open()) {
            assertEquals(200, exchange(first), "the first two are served");
            assertEquals(200, exchange(second));
            try (Socket third = client.open()) {
                assertEquals(-1, readOrClosed(third), "the third is closed at once, before any byte");
            }
        }
        // Both closed: new connections are accepted again once the server has seen the closes.
        int status = 0;
        for (int attempt = 0; attempt < 200 && status != 200; attempt++) {
            try (Socket again = client.open()) {
                status = exchange(again);
            } catch (IOException closedYet) {
                Thread.sleep(10);
            }
        }
        assertEquals(200, status);
    }

    private int exchange(Socket socket) throws IOException {
        byte[] body = OcsClient.zlib(OcsClient.prolog("pc-2026-01-01-00-00-00").getBytes(StandardCharsets.UTF_8));
        OcsClient.send(socket, OcsClient.concat(("POST /ocsinventory HTTP/1.1\r\nHost: x\r\nUser-Agent: "
                + "OCS-NG_unified_unix_agent_v2.10.0\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), body));
        return OcsClient.read(socket.getInputStream()).status();
    }

    private static int readOrClosed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
