package org.teledeploy.cli;

import java.io.PrintStream;

/**
 * While the server builds a package (hashing and cutting a big archive takes a while), shows on a terminal that
 * it is working and for how long; the server does not report a percentage, so this is a ticker, not a bar.
 */
final class BuildTicker implements AutoCloseable {

    private final Thread thread;
    private final PrintStream out;

    private BuildTicker(Thread thread, PrintStream out) {
        this.thread = thread;
        this.out = out;
    }

    /** Starts ticking on {@code out}, or does nothing when it is null (not a terminal, or --json). */
    static BuildTicker start(PrintStream out) {
        if (out == null) {
            return new BuildTicker(null, null);
        }
        long started = System.nanoTime();
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(500);
                    out.print("\rbuilding the package on the server... " + (System.nanoTime() - started) / 1_000_000_000L
                            + " s");
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "build-ticker");
        thread.setDaemon(true);
        thread.start();
        return new BuildTicker(thread, out);
    }

    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.print("\r\033[K");
        out.flush();
    }
}
