package org.teledeploy.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SystemdNotifier} against a notification socket of its own, as systemd's: an AF_UNIX datagram socket
 * bound in a temporary directory (and one in the abstract namespace), reading what arrives.
 */
@Timeout(30)
class SystemdNotifierTest {

    @TempDir
    Path dir;

    private EventLoopGroup group;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void epoll() {
        assumeTrue(Epoll.isAvailable(), "native epoll unavailable: " + Epoll.unavailabilityCause());
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterEach
    void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void sendsReadyWithTheMainPidThenStoppingToAPathSocket() throws Exception {
        Path socket = dir.resolve("notify");
        Channel systemd = bind(new DomainSocketAddress(socket.toFile()));
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()))) {
            assertTrue(notifier.enabled());

            assertTrue(notifier.ready("listening on 127.0.0.1:8080"));
            assertEquals("READY=1\nMAINPID=" + ProcessHandle.current().pid() + "\nSTATUS=listening on 127.0.0.1:8080\n",
                    next());
            assertTrue(notifier.status("reloading\nTLS"));
            assertEquals("STATUS=reloading TLS\n", next());
            assertTrue(notifier.stopping("stopping"));
            assertEquals("STOPPING=1\nSTATUS=stopping\n", next());
        } finally {
            systemd.close().syncUninterruptibly();
        }
        assertNull(received.poll(200, TimeUnit.MILLISECONDS), "nothing else was sent");
    }

    @Test
    void anAtSignMeansTheAbstractNamespace() throws Exception {
        String name = "teledeploy-test-" + UUID.randomUUID();
        Channel systemd = bind(new DomainSocketAddress("\0" + name));
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name))) {
            assertTrue(notifier.ready("up"));
            assertEquals("READY=1\nMAINPID=" + ProcessHandle.current().pid() + "\nSTATUS=up\n", next());
        } finally {
            systemd.close().syncUninterruptibly();
        }
    }

    @Test
    void withoutNotifySocketEverythingIsANoOp() {
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of())) {
            assertFalse(notifier.enabled());
            assertFalse(notifier.ready("up"));
            assertFalse(notifier.stopping("down"));
        }
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", ""))) {
            assertFalse(notifier.enabled());
        }
    }

    @Test
    void aMalformedSocketIsIgnored() {
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "relative/path"))) {
            assertFalse(notifier.enabled());
            assertFalse(notifier.ready("up"));
        }
    }

    @Test
    void aSocketNobodyListensOnFailsTheSendNotTheCaller() {
        Path missing = dir.resolve("nobody");
        try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", missing.toString()))) {
            assertTrue(notifier.enabled());
            assertFalse(notifier.ready("up"), "sendto a missing socket fails (ENOENT/ECONNREFUSED), logged");
        }
    }

    private Channel bind(DomainSocketAddress address) {
        return new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        received.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(address)
                .syncUninterruptibly()
                .channel();
    }

    private String next() throws InterruptedException {
        String message = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(message, "no notification within 5 s");
        return message;
    }
}
