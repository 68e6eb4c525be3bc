package org.teledeploy.lifecycle;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The systemd notification protocol ({@code sd_notify(3)}) for {@code Type=notify} units: {@code READY=1} once
 * every listener is bound and the state is open, {@code STOPPING=1} when a stop begins, {@code STATUS=} lines for
 * {@code systemctl status}. A message is one datagram on the AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a
 * path, or an abstract-namespace name when it starts with {@code @}).
 *
 * <p>Java 17 has no AF_UNIX datagram sockets, so this uses Netty's native epoll transport
 * ({@link EpollDomainDatagramChannel}) on one small event loop of its own, with a socket per message. Without {@code $NOTIFY_SOCKET} (not
 * started by systemd, or another unit type) every call is a no-op; when the socket is set but cannot be used
 * (native epoll unavailable, malformed value) that is logged once and every call is a no-op too. A failed send
 * is logged and never fails the server.
 */
public final class SystemdNotifier implements AutoCloseable {

    /** The environment variable systemd sets for {@code Type=notify} services. */
    public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final long SEND_TIMEOUT_MILLIS = 2_000;

    private final String socketName;
    private final DomainSocketAddress address;
    private final EventLoopGroup group;

    private SystemdNotifier(String socketName, DomainSocketAddress address, EventLoopGroup group) {
        this.socketName = socketName;
        this.address = address;
        this.group = group;
    }

    /** A notifier that sends nothing. */
    public static SystemdNotifier disabled() {
        return new SystemdNotifier(null, null, null);
    }

    /** The notifier for {@code $NOTIFY_SOCKET} in {@code environment}; {@link #disabled()} if unset or unusable. */
    public static SystemdNotifier fromEnvironment(Map<String, String> environment) {
        String socket = environment.get(NOTIFY_SOCKET);
        if (socket == null || socket.isEmpty()) {
            return disabled();
        }
        if (!(socket.startsWith("/") || socket.startsWith("@")) || socket.length() < 2 || socket.length() > 107) {
            log.warn("systemd: {}={} is not an AF_UNIX socket path or @abstract name: readiness is not reported",
                    NOTIFY_SOCKET, socket);
            return disabled();
        }
        if (!Epoll.isAvailable()) {
            log.warn("systemd: {} is set but native epoll (needed for AF_UNIX datagrams) is unavailable: readiness is"
                    + " not reported ({}); use Type=simple", NOTIFY_SOCKET, String.valueOf(Epoll.unavailabilityCause()));
            return disabled();
        }
        // Linux abstract namespace: the name after '@', with a leading NUL byte instead.
        DomainSocketAddress address = new DomainSocketAddress(socket.startsWith("@") ? "\0" + socket.substring(1) : socket);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("teledeploy-systemd-notify", true), EpollIoHandler.newFactory());
        log.debug("systemd: notifications go to {}", socket);
        return new SystemdNotifier(socket, address, group);
    }

    /** Whether messages are sent at all. */
    public boolean enabled() {
        return group != null;
    }

    /** {@code READY=1}, this process's PID as {@code MAINPID}, and {@code status}. */
    public boolean ready(String status) {
        return send("READY=1\nMAINPID=" + ProcessHandle.current().pid() + "\nSTATUS=" + oneLine(status) + "\n");
    }

    /** {@code STOPPING=1}: the service is shutting down (systemd stops waiting for readiness, shows it). */
    public boolean stopping(String status) {
        return send("STOPPING=1\nSTATUS=" + oneLine(status) + "\n");
    }

    /** A free-form status line shown by {@code systemctl status}. */
    public boolean status(String status) {
        return send("STATUS=" + oneLine(status) + "\n");
    }

    /**
     * Sends one raw notification ({@code KEY=VALUE} lines) on a socket of its own, as {@code sd_notify} does (a
     * few messages in a process's life); waits at most 2 s.
     *
     * @return whether it was sent (false when disabled or when the send failed, which is logged)
     */
    public synchronized boolean send(String message) {
        if (group == null || group.isShuttingDown()) {
            return false;
        }
        ChannelFuture connected = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        Channel channel = connected.channel();
        try {
            if (!connected.awaitUninterruptibly(SEND_TIMEOUT_MILLIS) || !connected.isSuccess()) {
                log.warn("systemd: cannot reach {}: {}", socketName, String.valueOf(connected.cause()));
                return false;
            }
            ChannelFuture sent = channel.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
            if (!sent.awaitUninterruptibly(SEND_TIMEOUT_MILLIS) || !sent.isSuccess()) {
                log.warn("systemd: notification to {} failed: {}", socketName, String.valueOf(sent.cause()));
                return false;
            }
            return true;
        } finally {
            channel.close().awaitUninterruptibly(SEND_TIMEOUT_MILLIS);
        }
    }

    @Override
    public synchronized void close() {
        if (group != null && !group.isShuttingDown()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(SEND_TIMEOUT_MILLIS);
        }
    }

    private static String oneLine(String status) {
        return status == null ? "" : status.replace('\n', ' ');
    }
}
