package org.teledeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.ForkedServer;
import org.teledeploy.testing.OcsClient;

/**
 * SIGTERM on a real teledeployd in its own JVM: the listeners stop accepting, an idle keep-alive connection is
 * closed, a request in progress (half its body sent before the signal) is still answered, every acknowledged
 * report is in the database after the exit, the exit code is 0 and the log says so; and what systemd is told
 * ({@code Type=notify}) on the way.
 */
@Timeout(180)
class GracefulShutdownTest {

    private static final String DEVICE = "web01-2024-03-05-10-00-00";

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesTheRequestInProgressCommitsAndExitsZero() throws Exception {
        int exit;
        String log;
        try (ForkedServer server = ForkedServer.start(dir, Map.of())) {
            OcsClient client = new OcsClient("127.0.0.1", server.httpPort());
            assertEquals(200, client.post(OcsClient.downloadReport(DEVICE, "1709630000", "SUCCESS")).status());

            // A keep-alive connection between two requests: nothing to wait for, closed at once.
            Socket idle = client.open();
            OcsClient.send(idle, post(OcsClient.zlib(OcsClient.prolog(DEVICE).getBytes(StandardCharsets.UTF_8))));
            assertEquals(200, OcsClient.read(idle.getInputStream()).status());

            // A request in progress: its head and half its body arrive before the signal, the rest after.
            byte[] body = OcsClient.zlib(OcsClient.downloadReport(DEVICE, "1709630001", "ERR_BAD_DIGEST")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] request = post(body);
            int split = request.length - body.length / 2;
            Socket busy = client.open();
            OcsClient.send(busy, Arrays.copyOf(request, split));
            Thread.sleep(300); // the server has read the head by now: the request is in progress

            server.process().destroy(); // SIGTERM
            server.awaitLog("SIGTERM: stopping", Duration.ofSeconds(20));
            server.await(() -> !accepts(server.httpPort()), Duration.ofSeconds(20), "the HTTP listener closed");
            assertEquals(-1, idle.getInputStream().read(), "the idle connection is closed, without a response");
            assertTrue(server.process().isAlive(), "still waiting for the request in progress");

            OcsClient.send(busy, Arrays.copyOfRange(request, split, request.length));
            OcsClient.Response answered = OcsClient.read(busy.getInputStream());
            assertEquals(200, answered.status(), "the request in progress is answered");
            assertEquals("close", answered.header("connection"), "announcing the close");
            assertEquals(-1, busy.getInputStream().read(), "then its connection is closed");

            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "exits within 30 s:\n" + server.log());
            exit = server.process().exitValue();
            log = server.log();
        }
        assertEquals(0, exit, log);
        assertTrue(log.matches("(?s).*Stop: \\d+ connections closed, requests in progress answered.*"), log);
        assertTrue(log.contains("teledeployd stopped"), log);
        assertTrue(!log.contains("SEVERE") && !log.contains("still busy"), log);
        assertEquals(List.of(DEVICE + " 1709630000 SUCCESS", DEVICE + " 1709630001 ERR_BAD_DIGEST"),
                reports(dir.resolve("state").resolve("teledeploy.db")));
    }

    @Test
    void aRequestThatNeverEndsIsCutAtTimeoutShutdown() throws Exception {
        long started;
        int exit;
        String log;
        try (ForkedServer server = ForkedServer.start(dir, Map.of("timeout.shutdown", "1s"))) {
            Socket stuck = new OcsClient("127.0.0.1", server.httpPort()).open();
            byte[] request = post(new byte[1000]);
            OcsClient.send(stuck, Arrays.copyOf(request, request.length - 500));
            Thread.sleep(300);
            started = System.nanoTime();
            exit = server.stop(Duration.ofSeconds(30));
            log = server.log();
            assertEquals(-1, stuck.getInputStream().read(), "cut without a response");
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, exit, log);
        assertTrue(millis >= 900 && millis < 15_000, "waited timeout.shutdown (1 s), took " + millis + " ms");
        assertTrue(log.matches("(?s).*Stop: 1 of \\d+ connections still busy after timeout.shutdown \\(PT1S\\): closed.*"),
                log);
        assertTrue(log.contains("teledeployd stopped"), log);
    }

    @Test
    void systemdIsToldWhenEveryListenerIsBoundAndWhenTheStopBegins() throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll unavailable: " + Epoll.unavailabilityCause());
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Path socket = dir.resolve("notify");
            new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                            received.add(packet.content().toString(StandardCharsets.UTF_8));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile())).syncUninterruptibly();
            try (ForkedServer server = ForkedServer.start(dir, Map.of(), Map.of("NOTIFY_SOCKET", socket.toString()))) {
                String ready = received.poll(20, TimeUnit.SECONDS);
                assertEquals("READY=1\nMAINPID=" + server.pid() + "\nSTATUS=serving agents on HTTP " + server.httpPort()
                        + ", HTTPS " + server.httpsPort() + ", admin " + server.adminPort() + "\n", ready);
                assertEquals(0, server.stop(Duration.ofSeconds(30)));
                assertEquals("STOPPING=1\nSTATUS=stopping: finishing requests in progress, committing writes\n",
                        received.poll(5, TimeUnit.SECONDS));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static byte[] post(byte[] body) {
        String head = "POST /ocsinventory HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: OCS-NG_unified_unix_agent_v2.10.0\r\n"
                + "Content-Type: application/x-compress\r\nContent-Length: " + body.length + "\r\n\r\n";
        return OcsClient.concat(head.getBytes(StandardCharsets.US_ASCII), body);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> reports(Path database) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT deviceid, package_id, result FROM download_reports ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return out;
    }
}
