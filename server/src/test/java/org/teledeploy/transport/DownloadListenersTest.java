package org.teledeploy.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.ssl.SslContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.packages.DownloadObserver;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.QueryDispatcher;
import org.teledeploy.tls.ServerCertificates;
import org.teledeploy.tls.TlsClients;
import org.teledeploy.tls.TlsContexts;
import org.teledeploy.tls.TlsProvider;
import org.teledeploy.transport.DownloadTestClient.Reply;

/**
 * The real listeners ({@link Listeners#start}, native epoll when available) serving a multi-megabyte fragment:
 * sendfile on HTTP, chunks through TLS on HTTPS, ranges, several requests on one keep-alive connection, and a
 * client that goes away in the middle of a fragment.
 */
class DownloadListenersTest {

    private static final String ID = "1709630000";
    private static final String HTTPS_ID = "1709630001";
    /** A package of its own for the aborted downloads. */
    private static final String ABORT_ID = "1709630002";
    private static final String FRAGMENT = "/download/" + ID + "/" + ID + "-1";
    private static final int TIMEOUT_MILLIS = 10_000;

    @TempDir
    static Path stateDir;

    private static final TestPackages packages = new TestPackages();
    private static final BlockingQueue<String> observed = new LinkedBlockingQueue<>();
    private static byte[] fragment;
    private static byte[] small;
    /** Larger than what socket buffers can hold (4 MiB send buffer at most, a 64 KiB receive buffer). */
    private static byte[] large;
    private static Listeners listeners;
    private static SSLContext trustingCa;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        Random random = new Random(7);
        fragment = new byte[3 * 1024 * 1024 + 17];
        random.nextBytes(fragment);
        small = new byte[4096];
        random.nextBytes(small);
        large = new byte[12 * 1024 * 1024];
        random.nextBytes(large);
        packages.publish(stateDir.resolve("packages"), ID, false, 1_709_630_000_000L, fragment);
        packages.publish(stateDir.resolve("packages"), HTTPS_ID, true, 1_709_630_000_000L, small);
        packages.publish(stateDir.resolve("packages"), ABORT_ID, false, 1_709_630_000_000L, large);

        Path file = stateDir.resolve("teledeploy.properties");
        Files.writeString(file, "listen.http = 127.0.0.1:0\nlisten.https = 127.0.0.1:0\nlisten.admin = 127.0.0.1:0\n"
                + "tls.hostnames = localhost,127.0.0.1\nlog.access = off\nstate.dir = " + stateDir + "\n");
        TeledeployConfig config = TeledeployConfig.load(file, Map.of());
        ServerCertificates certificates = ServerCertificates.ensureGenerated(stateDir.resolve("tls"),
                config.tlsHostnames(), Clock.systemUTC());
        SslContext ssl = TlsContexts.forServer(certificates, TlsProvider.fromConfig(config.tlsProvider()));
        QueryDispatcher dispatcher = new QueryDispatcher(
                r -> CompletableFuture.completedFuture(AgentReply.empty()),
                r -> CompletableFuture.completedFuture(AgentReply.empty()),
                r -> CompletableFuture.completedFuture(AgentReply.empty()));
        DownloadObserver observer = new DownloadObserver() {
            @Override
            public void infoServed(String clientIp, String packageId) {
                observed.add("info " + clientIp + " " + packageId);
            }

            @Override
            public void fragmentServed(String clientIp, String packageId, int n, int fragments) {
                observed.add("fragment " + clientIp + " " + packageId + " " + n + "/" + fragments);
            }

            @Override
            public void tlsFailed(String clientIp, String reason) {
                observed.add("tls " + clientIp);
            }
        };
        listeners = Listeners.start(config, ssl, dispatcher, packages, observer, () -> "{}");
        trustingCa = TlsClients.trustingOnly(certificates.caCertificate());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustingCa)
                .connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS)).build();
    }

    @AfterAll
    static void stopAndCheckNoFileIsLeftOpen() throws IOException {
        if (listeners != null) {
            listeners.close();
        }
        assertEquals(List.of(), DownloadTestClient.openFilesUnder(stateDir), "fragment files left open");
    }

    private static URI uri(boolean https, String path) {
        return https ? URI.create("https://127.0.0.1:" + listeners.httpsPort() + path)
                : URI.create("http://127.0.0.1:" + listeners.httpPort() + path);
    }

    private static HttpResponse<byte[]> fetch(boolean https, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(https, path)).timeout(Duration.ofMillis(TIMEOUT_MILLIS));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * The next download observed for {@code packageId}, waiting for it. The observer hears of a download once
     * the server's write completed, which may be just after the client read the last byte. Each test uses its
     * own package or takes every observation of its package, so none is left for another test.
     */
    private static String nextObservation(String packageId) throws InterruptedException {
        while (true) {
            String event = observed.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(event, "no download of " + packageId + " observed within " + TIMEOUT_MILLIS + " ms");
            if (event.contains(" " + packageId)) {
                return event;
            }
        }
    }

    @Test
    void httpSendsTheWholeFragmentByteForByte() throws Exception {
        HttpResponse<byte[]> response = fetch(false, FRAGMENT);
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(fragment.length), response.headers().firstValue("Content-Length").orElseThrow());
        assertArrayEquals(fragment, response.body());
        assertEquals("fragment 127.0.0.1 " + ID + " 1/1", nextObservation(ID));
    }

    @Test
    void httpsSendsTheWholeFragmentByteForByte() throws Exception {
        HttpResponse<byte[]> response = fetch(true, FRAGMENT);
        assertEquals(200, response.statusCode());
        assertArrayEquals(fragment, response.body());
        assertEquals("fragment 127.0.0.1 " + ID + " 1/1", nextObservation(ID));
    }

    @Test
    void rangesGiveTheRightSliceOnBothListeners() throws Exception {
        for (boolean https : new boolean[] {false, true}) {
            HttpResponse<byte[]> middle = fetch(https, FRAGMENT, "Range", "bytes=1000000-2500000");
            assertEquals(206, middle.statusCode());
            assertEquals("bytes 1000000-2500000/" + fragment.length,
                    middle.headers().firstValue("Content-Range").orElseThrow());
            assertArrayEquals(Arrays.copyOfRange(fragment, 1_000_000, 2_500_001), middle.body());
            HttpResponse<byte[]> tail = fetch(https, FRAGMENT, "Range", "bytes=-100");
            assertArrayEquals(Arrays.copyOfRange(fragment, fragment.length - 100, fragment.length), tail.body());
        }
    }

    @Test
    void httpsOnlyPackagesAreRefusedOnHttpAndServedOnHttps() throws Exception {
        assertEquals(403, fetch(false, "/download/" + HTTPS_ID + "/" + HTTPS_ID + "-1").statusCode());
        HttpResponse<byte[]> response = fetch(true, "/download/" + HTTPS_ID + "/" + HTTPS_ID + "-1");
        assertEquals(200, response.statusCode());
        assertArrayEquals(small, response.body());
        assertEquals("fragment 127.0.0.1 " + HTTPS_ID + " 1/1", nextObservation(HTTPS_ID));
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsReportedAsATlsFailure() throws Exception {
        HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThrows(java.io.IOException.class, () -> untrusting.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + listeners.httpsPort() + "/download/1/info")).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        String event;
        do {
            event = observed.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(event, "no TLS failure observed within " + TIMEOUT_MILLIS + " ms");
        } while (!event.startsWith("tls "));
        assertEquals("tls 127.0.0.1", event);
    }

    @Test
    void severalRequestsOnOneHttpConnection() throws Exception {
        try (Socket socket = plainSocket()) {
            severalRequests(socket);
        }
    }

    @Test
    void severalRequestsOnOneHttpsConnection() throws Exception {
        try (Socket socket = tlsSocket()) {
            severalRequests(socket);
        }
    }

    private static void severalRequests(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        out.write(DownloadTestClient.request("GET", "/download/" + ID + "/info"));
        Reply info = DownloadTestClient.read(in, false);
        assertArrayEquals(packages.info(ID).join().bytes(), info.body());
        out.write(DownloadTestClient.request("GET", FRAGMENT));
        assertArrayEquals(fragment, DownloadTestClient.read(in, false).body());
        out.write(DownloadTestClient.request("HEAD", FRAGMENT));
        Reply head = DownloadTestClient.read(in, true);
        assertEquals(String.valueOf(fragment.length), head.header("Content-Length"));
        out.write(DownloadTestClient.request("GET", FRAGMENT, "Range", "bytes=3145728-"));
        assertArrayEquals(Arrays.copyOfRange(fragment, 3_145_728, fragment.length), DownloadTestClient.read(in, false).body());
        out.write(DownloadTestClient.request("GET", "/download/9/info"));
        assertEquals(404, DownloadTestClient.read(in, false).status());
        out.write(DownloadTestClient.request("GET", FRAGMENT, "Connection", "close"));
        Reply last = DownloadTestClient.read(in, false);
        assertArrayEquals(fragment, last.body());
        assertEquals(-1, in.read(), "closed after Connection: close");
        assertEquals("info 127.0.0.1 " + ID, nextObservation(ID));
        assertEquals("fragment 127.0.0.1 " + ID + " 1/1", nextObservation(ID), "not for the HEAD or the range");
        assertEquals("fragment 127.0.0.1 " + ID + " 1/1", nextObservation(ID));
    }

    /**
     * The client reads 1 MiB of 12 and closes: the server's write fails (the rest cannot fit in socket buffers),
     * the download is not observed, and the next one is served whole. Only the two whole downloads are observed,
     * and the failed ones would have been observed before them.
     */
    @Test
    void aClientLeavingMidFragmentDoesNotBreakTheNextRequest() throws Exception {
        String path = "/download/" + ABORT_ID + "/" + ABORT_ID + "-1";
        for (boolean https : new boolean[] {false, true}) {
            try (Socket socket = https ? tlsSocket(64 * 1024) : plainSocket(64 * 1024)) {
                socket.getOutputStream().write(DownloadTestClient.request("GET", path));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                Reply head = DownloadTestClient.read(in, true); // the head only
                assertEquals(String.valueOf(large.length), head.header("Content-Length"));
                byte[] part = in.readNBytes(1024 * 1024);
                assertArrayEquals(Arrays.copyOf(large, part.length), part);
            } // closed with the rest unread
            HttpResponse<byte[]> next = fetch(https, path);
            assertEquals(200, next.statusCode());
            assertArrayEquals(large, next.body());
            assertEquals("fragment 127.0.0.1 " + ABORT_ID + " 1/1", nextObservation(ABORT_ID));
        }
        assertEquals(List.of(), observed.stream().filter(e -> e.contains(ABORT_ID)).toList(),
                "aborted downloads are not observed");
    }

    private static Socket plainSocket() throws IOException {
        return plainSocket(0);
    }

    /** @param receiveBuffer SO_RCVBUF, or 0 for the system's */
    private static Socket plainSocket(int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), listeners.httpPort()),
                TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private static Socket tlsSocket() throws IOException {
        return tlsSocket(0);
    }

    private static Socket tlsSocket(int receiveBuffer) throws IOException {
        Socket plain = new Socket();
        if (receiveBuffer > 0) {
            plain.setReceiveBufferSize(receiveBuffer);
        }
        plain.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), listeners.httpsPort()),
                TIMEOUT_MILLIS);
        plain.setSoTimeout(TIMEOUT_MILLIS);
        SSLSocket socket = (SSLSocket) trustingCa.getSocketFactory().createSocket(plain, "127.0.0.1",
                listeners.httpsPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
