package org.teledeploy.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the Netty transport: native epoll when available (or asked for), else NIO, and says which. */
final class Transports {

    private static final Logger log = LoggerFactory.getLogger(Transports.class);

    /** The chosen transport. */
    record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel) {}

    private Transports() {}

    /** @param choice auto, epoll or nio ({@code transport}) */
    static Transport choose(String choice) {
        if (choice.equals("nio")) {
            log.info("Transport: NIO (transport = nio)");
            return nio();
        }
        if (Epoll.isAvailable()) {
            log.info("Transport: native epoll");
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        if (choice.equals("epoll")) {
            throw new IllegalStateException("transport: epoll (expected: available, but " + Epoll.unavailabilityCause() + ")");
        }
        log.warn("Transport: NIO, native epoll unavailable: {}", String.valueOf(Epoll.unavailabilityCause()));
        return nio();
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
