package org.teledeploy.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Closes a connection that neither read nor wrote for {@code timeout.idle} (keep-alive agents between runs). */
final class IdleCloseHandler extends IdleStateHandler {

    IdleCloseHandler(Duration idle) {
        super(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
