package org.teledeploy.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that neither read nor wrote for {@code timeout.idle} (keep-alive agents between runs).
 * Output in progress counts as writing: a fragment slowly sent to a slow link is one write that completes only
 * at its end, and must not be cut because of that.
 */
final class IdleCloseHandler extends IdleStateHandler {

    IdleCloseHandler(Duration idle) {
        super(true, 0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
