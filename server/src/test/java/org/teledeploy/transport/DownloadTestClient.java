package org.teledeploy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The client side of the download tests, kept apart from Netty's decoders so that it sees exactly what went out:
 * requests as bytes, responses read from an {@link EmbeddedChannel} (ByteBufs and FileRegions, the latter
 * transferred into a byte channel as sendfile would) or from a socket, and the files a process holds open.
 */
final class DownloadTestClient {

    /** One response as written on the wire. */
    record Reply(String version, int status, HttpHeaders headers, byte[] body, int fileRegions) {

        String header(String name) {
            return headers.get(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private DownloadTestClient() {}

    /** An HTTP/1.1 request with no body; {@code headers} are name, value pairs. */
    static byte[] request(String method, String path, String... headers) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Everything {@code ch} wrote since the last drain, as one response (the test sent one request). */
    static Reply drain(EmbeddedChannel ch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel target = Channels.newChannel(out);
        int regions = 0;
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            try {
                if (msg instanceof ByteBuf buf) {
                    out.write(ByteBufUtil.getBytes(buf));
                } else if (msg instanceof FileRegion region) {
                    regions++;
                    while (region.transferred() < region.count()) {
                        region.transferTo(target, region.transferred());
                    }
                } else {
                    throw new AssertionError("unexpected outbound message " + msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        byte[] all = out.toByteArray();
        int end = indexOfBlankLine(all, all.length);
        if (end < 0) {
            throw new AssertionError("no complete response head written: " + new String(all, StandardCharsets.ISO_8859_1));
        }
        return parse(all, end, Arrays.copyOfRange(all, end + 4, all.length), regions);
    }

    /**
     * Reads one response from a socket: the head, then Content-Length bytes of body (none for HEAD or 304).
     */
    static Reply read(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in a response head");
            }
            headBytes.write(b);
            byte[] sofar = headBytes.toByteArray();
            if (indexOfBlankLine(sofar, sofar.length) >= 0) {
                break;
            }
        }
        byte[] all = headBytes.toByteArray();
        Reply withoutBody = parse(all, all.length - 4, new byte[0], 0);
        String length = withoutBody.header("Content-Length");
        if (head || withoutBody.status() == 304 || length == null) {
            return withoutBody;
        }
        byte[] body = in.readNBytes(Integer.parseInt(length));
        if (body.length != Integer.parseInt(length)) {
            throw new EOFException("body shorter than its Content-Length: " + body.length + " of " + length);
        }
        return parse(all, all.length - 4, body, 0);
    }

    /** The files under {@code dir} this process has open now (Linux /proc; nothing elsewhere). */
    static List<Path> openFilesUnder(Path dir) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return List.of();
        }
        Path root = dir.toRealPath();
        List<Path> open = new ArrayList<>();
        try (Stream<Path> entries = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) entries::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(root)) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return open;
    }

    private static Reply parse(byte[] all, int headEnd, byte[] body, int regions) {
        String[] lines = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        return new Reply(statusLine[0], Integer.parseInt(statusLine[1]), headers, body, regions);
    }

    private static int indexOfBlankLine(byte[] bytes, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
