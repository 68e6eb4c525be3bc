package org.teledeploy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Only TLS 1.2 and 1.3 are accepted on the HTTPS listener, checked with OpenSSL's own client (which can still
 * speak TLS 1.0 and 1.1 at security level 0), so the refusal comes from the server, not from the client.
 */
class TlsVersionsTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create();

    @Test
    void tls10And11HandshakesFailWhile12And13Succeed() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) || "true".equals(System.getenv("CI")),
                "openssl not installed");
        for (String version : List.of("-tls1", "-tls1_1")) {
            String out = handshake(version);
            assertTrue(out.contains("Cipher is (NONE)"), version + " was negotiated:\n" + out);
            assertTrue(out.contains("alert protocol version"), "the server refuses the version itself:\n" + out);
        }
        assertTrue(handshake("-tls1_2").contains("New, TLSv1.2, Cipher is "), "TLS 1.2 is accepted");
        assertTrue(handshake("-tls1_3").contains("New, TLSv1.3, Cipher is "), "TLS 1.3 is accepted");
    }

    private String handshake(String version) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.server().httpsPort(),
                version, "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", server.server().caCertificate().toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(true, out.contains("CONNECTED") || out.contains("error"), out);
        return out;
    }
}
