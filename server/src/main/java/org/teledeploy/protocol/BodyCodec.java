package org.teledeploy.protocol;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decodes agent request bodies and encodes replies: pure functions over byte arrays, so the event loop can run
 * them and tests need no socket. Inflation stops at {@code maxInflated} bytes (a zip bomb gets 413, not an
 * OutOfMemoryError).
 *
 * <p>Each thread (in the server: each event loop) keeps one zlib {@link Inflater} and one {@link Deflater} and
 * resets them between bodies: setting up a fresh deflater costs more than compressing a whole PROLOG reply
 * (perf/JMH.md).
 */
public final class BodyCodec {

    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(false));
    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, false));
    /** Each thread's scratch buffer for zlib output: a fresh 16 KB was most of what a PROLOG's decoding allocated. */
    private static final ThreadLocal<byte[]> CHUNKS = ThreadLocal.withInitial(() -> new byte[16384]);

    private final long maxInflated;

    public BodyCodec(long maxInflated) {
        if (maxInflated <= 0) {
            throw new IllegalArgumentException("maxInflated: " + maxInflated + " (expected: > 0)");
        }
        this.maxInflated = maxInflated;
    }

    /** The decoded XML bytes and the encoding they came in. */
    public record Decoded(byte[] xml, BodyEncoding encoding) {}

    public Decoded decode(byte[] body, int length) {
        if (length == 0) {
            throw ProtocolException.badRequest("empty body");
        }
        BodyEncoding encoding = BodyEncoding.detect(body, length);
        if (encoding == null) {
            throw ProtocolException.badRequest("body is neither zlib, gzip nor XML");
        }
        switch (encoding) {
            case ZLIB:
                return new Decoded(inflate(body, length), encoding);
            case GZIP:
                return new Decoded(gunzip(body, length), encoding);
            default:
                if (length > maxInflated) {
                    throw tooLarge();
                }
                return new Decoded(Arrays.copyOf(body, length), encoding);
        }
    }

    private byte[] inflate(byte[] body, int length) {
        Inflater inflater = INFLATERS.get();
        inflater.reset(); // whatever a previous body left (an error, a bomb cut short), this one starts clean
        try {
            inflater.setInput(body, 0, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length * 4, 1 << 20));
            byte[] chunk = CHUNKS.get();
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                // A call may end the stream without output (an empty document): finished, not truncated.
                if (n == 0 && !inflater.finished()) {
                    if (inflater.needsInput()) {
                        throw ProtocolException.badRequest("truncated zlib body");
                    }
                    if (inflater.needsDictionary()) {
                        throw ProtocolException.badRequest("zlib body needs a preset dictionary");
                    }
                }
                if (out.size() + (long) n > maxInflated) {
                    throw tooLarge();
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw ProtocolException.badRequest("corrupt zlib body (" + e.getMessage() + ")");
        } finally {
            inflater.reset(); // drops the reference to this body
        }
    }

    private byte[] gunzip(byte[] body, int length) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body, 0, length), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length * 4, 1 << 20));
            byte[] chunk = new byte[16384];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + (long) n > maxInflated) {
                    throw tooLarge();
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (java.io.EOFException e) {
            throw ProtocolException.badRequest("truncated gzip body");
        } catch (ZipException e) {
            throw ProtocolException.badRequest("corrupt gzip body (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw ProtocolException.badRequest("unreadable gzip body (" + e.getMessage() + ")");
        }
    }

    private ProtocolException tooLarge() {
        return new ProtocolException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body inflates past limit.inflated.size (" + maxInflated + " bytes)");
    }

    /**
     * Small zlib replies already compressed, by content. PROLOG replies repeat (every device offered the same
     * packages with the same settings gets the same bytes) and deflating one was half of a PROLOG's CPU
     * (perf/JMH.md). Keys and values are never modified: the reply XML is a fresh array, the result is only read.
     */
    private static final Cache<ByteBuffer, byte[]> ZLIB_REPLIES = Caffeine.newBuilder().maximumSize(4096).build();
    private static final int CACHED_REPLY_SIZE = 4096;

    /**
     * Encodes a reply the way the request came: zlib (with its header, never raw deflate), gzip or plain. The
     * returned array may be shared with other replies: read it, never write it.
     */
    public static byte[] encode(byte[] xml, BodyEncoding encoding) {
        if (encoding == BodyEncoding.ZLIB && xml.length <= CACHED_REPLY_SIZE) {
            return ZLIB_REPLIES.get(ByteBuffer.wrap(xml), k -> deflate(xml));
        }
        return encodeUncached(xml, encoding);
    }

    private static byte[] deflate(byte[] xml) {
        return encodeUncached(xml, BodyEncoding.ZLIB);
    }

    private static byte[] encodeUncached(byte[] xml, BodyEncoding encoding) {
        switch (encoding) {
            case ZLIB: {
                Deflater deflater = DEFLATERS.get();
                deflater.reset();
                try {
                    deflater.setInput(xml);
                    deflater.finish();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, xml.length / 2));
                    byte[] chunk = CHUNKS.get();
                    while (!deflater.finished()) {
                        int n = deflater.deflate(chunk);
                        out.write(chunk, 0, n);
                    }
                    return out.toByteArray();
                } finally {
                    deflater.reset();
                }
            }
            case GZIP: {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, xml.length / 2));
                try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                    gzip.write(xml);
                } catch (IOException e) {
                    throw new IllegalStateException("in-memory gzip failed", e);
                }
                return out.toByteArray();
            }
            default:
                return xml;
        }
    }
}
