package org.teledeploy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsContextsTest {

    @TempDir
    static Path dir;

    private static ServerCertificates certs;
    private static SSLContext agent;

    private TestTlsServer server;

    @BeforeAll
    static void generate() throws Exception {
        certs = ServerCertificates.ensureGenerated(dir.resolve("tls"),
                List.of("127.0.0.1", "localhost", "deploy.example.test"), Clock.systemUTC());
        agent = TlsClients.trustingOnly(certs.caCertificate());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void boringSslLoadsOnLinuxX86_64() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        assumeTrue(os.startsWith("Linux") && ("amd64".equals(arch) || "x86_64".equals(arch)),
                "only asserted on linux-x86_64, this is " + os + "/" + arch);
        assumeTrue(TlsContextsTest.class.getClassLoader()
                        .getResource("META-INF/native/libnetty_tcnative_linux_x86_64.so") != null,
                "the linux-x86_64 native jar of netty-tcnative-boringssl-static is not on the class path");

        assertTrue(OpenSsl.isAvailable(), () -> "netty-tcnative does not load: " + OpenSsl.unavailabilityCause());
        assertTrue(OpenSsl.versionString().contains("BoringSSL"), OpenSsl.versionString());
        assertTrue(OpenSsl.isCipherSuiteAvailable("TLS_AES_128_GCM_SHA256"), "BoringSSL offers TLS 1.3 suites");
    }

    @Test
    void autoPicksBoringSslExactlyWhenItLoads() {
        SslContext auto = TlsContexts.forServer(certs, TlsProvider.AUTO);
        SslContext jdk = TlsContexts.forServer(certs, TlsProvider.JDK);

        assertEquals(OpenSsl.isAvailable(), auto instanceof ReferenceCountedOpenSslContext);
        assertFalse(jdk instanceof ReferenceCountedOpenSslContext);
        assertTrue(TlsContexts.describe(jdk).startsWith("JDK (Java "), TlsContexts.describe(jdk));
        assertTrue(TlsContexts.describe(auto).startsWith(OpenSsl.isAvailable() ? "OPENSSL (" : "JDK ("));
    }

    @Test
    void openSslProviderRefusesToStartWithoutBoringSsl() {
        assumeFalse(OpenSsl.isAvailable(), "BoringSSL is available here");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TlsContexts.forServer(certs, TlsProvider.OPENSSL));
        assertTrue(e.getMessage().startsWith("tls.provider: openssl (expected: netty-tcnative BoringSSL"),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void agentTrustingOnlyCacertPemConnectsByIpAndByName(TlsProvider provider) throws Exception {
        start(provider);
        for (String host : List.of("127.0.0.1", "localhost")) {
            TlsClients.Response response = TlsClients.fetch(agent, host, server.port());

            assertEquals("ok", response.body(), host);
            assertEquals("TLSv1.3", response.protocol(), host);
            assertEquals("ok TLSv1.3", server.nextOutcome(), host);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void tls12ClientsGetForwardSecretAead(TlsProvider provider) throws Exception {
        start(provider);
        TlsClients.Response response = TlsClients.fetch(agent, "127.0.0.1", server.port(), "TLSv1.2");

        assertEquals("ok", response.body());
        assertEquals("TLSv1.2", response.protocol());
        assertTrue(response.cipherSuite().matches("TLS_ECDHE_ECDSA_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)"),
                response.cipherSuite());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void tls10And11HandshakesAreRefusedWithProtocolVersionAlert(TlsProvider provider) throws Exception {
        start(provider);
        assertEquals("handshake", TlsClients.rawHello(server.port(), 0x0303), "control: the same hello as TLS 1.2");
        assertEquals("alert 2 70", TlsClients.rawHello(server.port(), 0x0302), "TLS 1.1: fatal protocol_version");
        assertEquals("alert 2 70", TlsClients.rawHello(server.port(), 0x0301), "TLS 1.0: fatal protocol_version");
        for (int connection = 0; connection < 3; connection++) {
            String outcome = server.nextOutcome();
            assertTrue(outcome.startsWith("failed "), outcome); // none of them completed a handshake
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aNameMissingFromTheCertificateIsRejected(TlsProvider provider) throws Exception {
        start(provider);
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> TlsClients.fetch(agent, "other.example.test", server.port()));
        assertTrue(String.valueOf(e.getMessage()).contains("other.example.test"), e.getMessage());
        assertThrows(SSLHandshakeException.class, () -> TlsClients.fetch(agent, "127.0.0.2", server.port()));
    }

    @Test
    void anAgentTrustingAnotherCaIsRejected() throws Exception {
        ServerCertificates other = ServerCertificates.ensureGenerated(dir.resolve("other"), List.of("127.0.0.1"),
                Clock.systemUTC());
        SSLContext stranger = TlsClients.trustingOnly(other.caCertificate());
        start(TlsProvider.AUTO);

        assertThrows(SSLHandshakeException.class, () -> TlsClients.fetch(stranger, "127.0.0.1", server.port()));
    }

    @Test
    void offersOnlyForwardSecretAeadSuites() {
        for (TlsProvider provider : List.of(TlsProvider.AUTO, TlsProvider.JDK)) {
            List<String> suites = TlsContexts.forServer(certs, provider).cipherSuites();
            assertFalse(suites.isEmpty(), provider.name());
            for (String suite : suites) {
                assertTrue(TlsContexts.CIPHER_SUITES.contains(suite), provider + ": " + suite);
                assertFalse(suite.contains("CBC") || suite.startsWith("TLS_RSA_"), provider + ": " + suite);
            }
        }
    }

    @Test
    void opensslClientVerifiesLikeAnAgentAndCannotUseTls11() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "/usr/bin/openssl is not installed");
        start(TlsProvider.AUTO);
        String connect = "127.0.0.1:" + server.port();
        String ca = certs.caCertificate().toString();

        Processes.Result ok = Processes.run(new byte[0], List.of("/usr/bin/openssl", "s_client", "-connect", connect,
                "-CAfile", ca, "-verify_return_error", "-verify_ip", "127.0.0.1"));
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().contains("Verify return code: 0 (ok)"), ok.output());
        assertTrue(ok.output().contains("TLSv1.3"), ok.output());

        Processes.Result legacy = Processes.run(new byte[0], List.of("/usr/bin/openssl", "s_client", "-connect",
                connect, "-CAfile", ca, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"));
        assertTrue(legacy.exitCode() != 0, legacy.output());
        assertTrue(legacy.output().contains("alert protocol version"), legacy.output());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void adminSuppliedFilesWithATraditionalEcKeyServe(TlsProvider provider) throws Exception {
        Path traditional = Files.writeString(dir.resolve("traditional-" + provider + ".key"),
                ServerCertificatesFromFilesTest.traditionalEcKey(certs.privateKey(), certs.certificateChain()));
        ServerCertificates admin = ServerCertificates.fromFiles(certs.certificateChain(), traditional);
        start(admin, provider);

        assertEquals("ok", TlsClients.fetch(agent, "localhost", server.port()).body());
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void adminSuppliedRsaFilesServeTls13AndEcdheRsaOverTls12(TlsProvider provider) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "/usr/bin/openssl is not installed");
        Path rsaDir = Files.createDirectories(dir.resolve("rsa-" + provider));
        Path cert = rsaDir.resolve("rsa.pem");
        Path key = rsaDir.resolve("rsa.key");
        Processes.Result made = Processes.run("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "90", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        assertEquals(0, made.exitCode(), made.output());
        start(ServerCertificates.fromFiles(cert, key), provider);
        SSLContext trustingRsa = TlsClients.trustingOnly(cert);

        assertEquals("TLSv1.3", TlsClients.fetch(trustingRsa, "127.0.0.1", server.port()).protocol());
        TlsClients.Response tls12 = TlsClients.fetch(trustingRsa, "localhost", server.port(), "TLSv1.2");
        assertTrue(tls12.cipherSuite().matches("TLS_ECDHE_RSA_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)"),
                tls12.cipherSuite());
    }

    @Test
    void providerNamesParseFromConfiguration() {
        assertEquals(TlsProvider.AUTO, TlsProvider.fromConfig("auto"));
        assertEquals(TlsProvider.OPENSSL, TlsProvider.fromConfig(" OpenSSL "));
        assertEquals(TlsProvider.JDK, TlsProvider.fromConfig("JDK"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsProvider.fromConfig("boringssl"));
        assertEquals("tls.provider: boringssl (expected: one of auto, openssl, jdk)", e.getMessage());
    }

    private void start(TlsProvider provider) throws InterruptedException {
        start(certs, provider);
    }

    private void start(ServerCertificates serving, TlsProvider provider) throws InterruptedException {
        if (provider == TlsProvider.OPENSSL) {
            assumeTrue(OpenSsl.isAvailable(), () -> "BoringSSL not available: " + OpenSsl.unavailabilityCause());
        }
        server = new TestTlsServer(TlsContexts.forServer(serving, provider));
    }
}
