package org.teledeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.testing.MutableClock;
import org.teledeploy.tls.CertificateExpiry;
import org.teledeploy.tls.ServerCertificates;

/**
 * {@code tls.expiry.warning} on a real server with an admin-supplied certificate and the server's clock moved by
 * the test: a WARN at start when the certificate expires within the window, none otherwise, once a day while it is
 * served (the periodic check is run by the test, the day passes on the clock), and a certificate file that has
 * gone missing keeps the one in use, with an error logged.
 */
class CertificateExpiryWarningTest {

    private static final Instant NOW = Instant.parse("2026-09-01T12:00:00Z");
    private static final Duration LEAF = Duration.ofDays(397);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger expiryLog = Logger.getLogger(CertificateExpiry.class.getName());
    private final Logger serverLog = Logger.getLogger(TeledeployServer.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private TeledeployServer server;

    @BeforeEach
    void captureLog() {
        expiryLog.addHandler(capture);
        serverLog.addHandler(capture);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        expiryLog.removeHandler(capture);
        serverLog.removeHandler(capture);
    }

    @Test
    void aCertificateExpiringWithinTheWindowIsWarnedAtStartAndOnceADay() throws Exception {
        ServerCertificates certs = certificateExpiringIn(Duration.ofDays(20));
        server = start(certs, "30d");
        assertEquals(List.of("WARNING tls: the server certificate CN=localhost (serial "
                + certs.leaf().getSerialNumber().toString(16) + ") expires on " + certs.leafNotAfter()
                + ", in 20 days (tls.expiry.warning = 30d); agents refuse it once it has expired: replace "
                + certs.certificateChain() + " and " + certs.privateKey() + ", then systemctl reload teledeployd"),
                warnings());

        server.checkTls();
        clock.advance(Duration.ofHours(23));
        server.checkTls();
        assertEquals(1, warnings().size(), "not again within the day");
        clock.advance(Duration.ofHours(1));
        server.checkTls();
        assertEquals(2, warnings().size());
        assertTrue(warnings().get(1).contains(", in 19 days (tls.expiry.warning = 30d)"), warnings().get(1));
    }

    @Test
    void noWarningOutsideTheWindowUntilTheClockReachesIt() throws Exception {
        server = start(certificateExpiringIn(Duration.ofDays(40)), "30d");
        server.checkTls();
        assertEquals(List.of(), warnings());
        clock.advance(Duration.ofDays(10));
        server.checkTls();
        assertEquals(List.of(), warnings(), "30 days left: not yet within");
        clock.advance(Duration.ofDays(1));
        server.checkTls();
        assertEquals(1, warnings().size());
        assertTrue(warnings().get(0).contains(", in 29 days"), warnings().get(0));
    }

    @Test
    void zeroTurnsTheWarningOff() throws Exception {
        server = start(certificateExpiringIn(Duration.ofDays(2)), "0s");
        clock.advance(Duration.ofDays(1));
        server.checkTls();
        assertEquals(List.of(), warnings());
    }

    @Test
    void aCertificateFileGoneMissingKeepsTheOneInUseWithAnErrorLogged() throws Exception {
        ServerCertificates certs = certificateExpiringIn(Duration.ofDays(200));
        server = start(certs, "30d");
        BigInteger serial = certs.leaf().getSerialNumber();
        assertEquals(serial, servedSerial());
        Files.delete(certs.certificateChain());
        server.checkTls();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("SEVERE tls: certificate reload failed ("
                + certs.certificateChain() + " or " + certs.privateKey() + " changed), still serving serial "
                + serial.toString(16))), lines.toString());
        assertEquals(serial, servedSerial(), "the certificate in use stays");
        assertEquals(certs.leafNotAfter(), Instant.parse(server.health().replaceAll(
                ".*\"certificateNotAfter\":\"([^\"]+)\".*", "$1")));
    }

    private List<String> warnings() {
        return lines.stream().filter(l -> l.startsWith("WARNING tls: the server certificate")).toList();
    }

    /** A CA and a server certificate of their own in {@code dir/certs}, its end {@code left} after {@link #NOW}. */
    private ServerCertificates certificateExpiringIn(Duration left) {
        return ServerCertificates.ensureGenerated(dir.resolve("certs"), List.of("localhost", "127.0.0.1"),
                new MutableClock(NOW.minus(LEAF).plus(left)));
    }

    private TeledeployServer start(ServerCertificates certs, String window) throws Exception {
        Path file = dir.resolve("test.properties");
        StringBuilder sb = new StringBuilder();
        Map.of("listen.http", "127.0.0.1:0", "listen.https", "127.0.0.1:0", "listen.admin", "127.0.0.1:0",
                "state.dir", dir.resolve("state").toString(), "tls.cert", certs.certificateChain().toString(),
                "tls.key", certs.privateKey().toString(), "tls.expiry.warning", window, "log.access", "off",
                "IPDISCOVER", "0", "store.synchronous", "normal")
                .forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(file, sb);
        return TeledeployServer.start(TeledeployConfig.load(file, Map.of()), clock);
    }

    private BigInteger servedSerial() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.httpsPort()), 10_000);
            plain.setSoTimeout(10_000);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost",
                    server.httpsPort(), true)) {
                socket.startHandshake();
                return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
            }
        }
    }
}
