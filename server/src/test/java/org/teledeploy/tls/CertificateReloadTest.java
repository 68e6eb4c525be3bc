package org.teledeploy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.ForkedServer;
import org.teledeploy.testing.OcsClient;

/**
 * Certificate reload on a real teledeployd in its own JVM: SIGHUP after the admin replaced {@code tls.cert} and
 * {@code tls.key} makes new handshakes use the new certificate while an open keep-alive connection goes on; a
 * corrupt or missing file keeps the certificate in use and logs an error; a changed file is also noticed without a
 * signal; a generated certificate deleted from the state dir is issued again by the same CA.
 */
@Timeout(180)
class CertificateReloadTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void sighupSwapsTheCertificateForNewConnectionsAndKeepsTheOldOneOnErrors() throws Exception {
        Path certA = generate("a");
        Path certB = generate("b");
        BigInteger serialA = leafSerial(certA);
        BigInteger serialB = leafSerial(certB);
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        install(certA, cert, key);
        // The file check is off: here only SIGHUP reloads.
        try (ForkedServer server = ForkedServer.start(dir, Map.of("tls.cert", cert.toString(),
                "tls.key", key.toString()), "-Dteledeploy.tls.check.seconds=0")) {
            int port = server.httpsPort();
            assertEquals(serialA, peerSerial(port));
            try (SSLSocket keepAlive = connect(port)) {
                assertEquals(200, prolog(keepAlive).status());
                assertEquals(serialA, sessionSerial(keepAlive));

                install(certB, cert, key);
                server.signal("HUP");
                awaitSerial(server, port, serialB);
                server.awaitLog("tls: certificate reloaded (configuration reload)", BOUND);
                Instant notAfterB = Pem.readCertificates(certB, "test").get(0).getNotAfter().toInstant();
                assertTrue(get(server.adminPort(), "/health", null).contains("\"certificateNotAfter\":\""
                        + notAfterB + "\""), "/health shows the new certificate");
                String metrics = get(server.adminPort(), "/metrics",
                        Files.readString(dir.resolve("state").resolve("admin.token")).strip());
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("teledeploy_tls_certificate_not_after_seconds ")
                        && (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)) == notAfterB.getEpochSecond()),
                        "and so does /metrics");
                assertEquals(200, prolog(keepAlive).status(), "the open connection was not dropped");
                assertEquals(serialA, sessionSerial(keepAlive), "and still uses the certificate it started with");
            }

            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
            server.signal("HUP");
            server.awaitLog("tls: certificate reload failed (configuration reload), still serving serial "
                    + serialB.toString(16), BOUND);
            assertEquals(serialB, peerSerial(port));

            Files.delete(key);
            server.signal("HUP");
            server.awaitLog("SIGHUP: configuration not reloaded, nothing changed: tls.key: " + key, BOUND);
            assertEquals(serialB, peerSerial(port));

            install(certA, cert, key);
            server.signal("HUP");
            awaitSerial(server, port, serialA);
            assertTrue(server.process().isAlive(), "SIGHUP never stops the server");
            assertEquals(0, server.stop(BOUND));
        }
    }

    @Test
    void changedFilesAreNoticedWithoutASignal() throws Exception {
        Path certA = generate("a");
        Path certB = generate("b");
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        install(certA, cert, key);
        try (ForkedServer server = ForkedServer.start(dir, Map.of("tls.cert", cert.toString(),
                "tls.key", key.toString()), "-Dteledeploy.tls.check.seconds=1")) {
            assertEquals(leafSerial(certA), peerSerial(server.httpsPort()));
            install(certB, cert, key);
            awaitSerial(server, server.httpsPort(), leafSerial(certB));
            server.awaitLog(cert + " or " + key + " changed", BOUND);
        }
    }

    @Test
    void aDeletedGeneratedCertificateIsIssuedAgainBySameCaOnSighup() throws Exception {
        try (ForkedServer server = ForkedServer.start(dir, Map.of(), "-Dteledeploy.tls.check.seconds=0")) {
            Path tls = dir.resolve("state").resolve("tls");
            byte[] ca = Files.readAllBytes(tls.resolve(ServerCertificates.CA_CERTIFICATE));
            BigInteger before = peerSerial(server.httpsPort());
            Files.delete(tls.resolve(ServerCertificates.SERVER_CHAIN));
            Files.delete(tls.resolve(ServerCertificates.SERVER_KEY));
            server.signal("HUP");
            server.await(() -> count(server, "tls: created server certificate") == 2, BOUND,
                    "a second \"created server certificate\"");
            awaitSerial(server, server.httpsPort(), leafSerial(tls.resolve(ServerCertificates.SERVER_CHAIN)));
            assertNotEquals(before, peerSerial(server.httpsPort()));
            assertTrue(java.util.Arrays.equals(ca, Files.readAllBytes(tls.resolve(ServerCertificates.CA_CERTIFICATE))),
                    "agents keep their cacert.pem");
            // ...and an agent holding that CA trusts the new certificate (chain and host name checked).
            SSLContext agent = TlsClients.trustingOnly(tls.resolve(ServerCertificates.CA_CERTIFICATE));
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 10_000);
                plain.setSoTimeout(10_000);
                try (SSLSocket socket = (SSLSocket) agent.getSocketFactory().createSocket(plain, "localhost",
                        server.httpsPort(), true)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.startHandshake();
                    assertEquals(200, prolog(socket).status());
                }
            }
        }
    }

    private static String get(int port, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    private static int count(ForkedServer server, String text) {
        try {
            return server.log().split(java.util.regex.Pattern.quote(text), -1).length - 1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** A CA and a server certificate for localhost/127.0.0.1 of their own, in {@code dir/name/}. */
    private Path generate(String name) {
        ServerCertificates certs = ServerCertificates.ensureGenerated(dir.resolve(name), List.of("localhost", "127.0.0.1"),
                Clock.systemUTC());
        return certs.certificateChain();
    }

    /** Copies a chain and its key (beside it) over {@code cert} and {@code key}, each by an atomic rename. */
    private static void install(Path chain, Path cert, Path key) throws IOException {
        for (Path[] copy : new Path[][] {{chain, cert}, {chain.resolveSibling(ServerCertificates.SERVER_KEY), key}}) {
            Path temp = copy[1].resolveSibling(copy[1].getFileName() + ".new");
            Files.copy(copy[0], temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, copy[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static BigInteger leafSerial(Path chain) {
        return Pem.readCertificates(chain, "test").get(0).getSerialNumber();
    }

    private static void awaitSerial(ForkedServer server, int port, BigInteger expected)
            throws IOException, InterruptedException {
        server.await(() -> {
            try {
                return expected.equals(peerSerial(port));
            } catch (IOException | GeneralSecurityException e) {
                return false;
            }
        }, BOUND, "certificate serial " + expected.toString(16) + " on new connections");
    }

    /** The serial of the certificate a new connection (new client context: no resumption) is shown. */
    private static BigInteger peerSerial(int port) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = connect(port)) {
            return sessionSerial(socket);
        }
    }

    private static BigInteger sessionSerial(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    private static SSLSocket connect(int port) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        plain.setSoTimeout(10_000);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
        socket.startHandshake();
        return socket;
    }

    private static OcsClient.Response prolog(SSLSocket socket) throws IOException {
        byte[] body = OcsClient.zlib(OcsClient.prolog("web01-2024-03-05-10-00-00").getBytes(StandardCharsets.UTF_8));
        String head = "POST /ocsinventory HTTP/1.1\r\nHost: localhost\r\nUser-Agent: OCS-NG_unified_unix_agent_v2.10.0\r\n"
                + "Content-Type: application/x-compress\r\nContent-Length: " + body.length + "\r\n\r\n";
        OcsClient.send(socket, OcsClient.concat(head.getBytes(StandardCharsets.US_ASCII), body));
        InputStream in = socket.getInputStream();
        return OcsClient.read(in);
    }

    /** The tests look at which certificate is served, not whether it is trusted. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
