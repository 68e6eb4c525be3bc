package org.teledeploy.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/** Counts what an upload has read and redraws a one-line progress bar on a terminal, at most 10 times a second. */
final class ProgressInputStream extends FilterInputStream {

    private final long total;
    private final PrintStream out;
    private long done;
    private long lastDraw;

    ProgressInputStream(InputStream in, long total, PrintStream out) {
        super(in);
        this.total = total;
        this.out = out;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        super.close();
        out.print("\r" + bar(total, total) + "\n");
        out.flush();
    }

    private void advance(int n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw > 100_000_000L) {
            lastDraw = now;
            out.print("\r" + bar(done, total));
            out.flush();
        }
    }

    /** {@code [#########           ]  45%  1.2 GiB / 2.6 GiB}. */
    static String bar(long done, long total) {
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        int percent = total == 0 ? 100 : (int) (100 * done / total);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + String.format("%3d%%", percent) + "  "
                + Output.size(done) + " / " + Output.size(total);
    }
}
