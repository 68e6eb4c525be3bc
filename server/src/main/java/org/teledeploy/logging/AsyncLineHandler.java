package org.teledeploy.logging;

import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Formats on the caller's thread, writes on its own: a bounded queue drained by one daemon thread. When the
 * queue is full, lines are dropped and counted (a line saying how many follows), never blocking the caller.
 */
final class AsyncLineHandler extends Handler {

    private static final String STOP = new String("stop");

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
    private final PrintStream out;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();

    AsyncLineHandler(PrintStream out, Formatter formatter, String threadName) {
        this.out = out;
        setFormatter(formatter);
        this.thread = new Thread(this::drain, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line = getFormatter().format(record);
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        try {
            while (true) {
                String line = queue.take();
                if (line == STOP) {
                    break;
                }
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    out.print("(" + lost + " log lines dropped: writer too slow)" + System.lineSeparator());
                }
                out.print(line);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        try {
            queue.offer(STOP, 1, TimeUnit.SECONDS);
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out != System.out && out != System.err) {
            out.close();
        }
    }
}
