package org.teledeploy.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link BodyCodec} and {@link BodyEncoding} (shared/ocs-protocol.md §1.2): zlib/gzip/plain detection from the
 * first bytes, replies encoded the way the request came (zlib with its header), the exact 400 reasons for empty,
 * unknown, truncated and corrupt bodies, and the 413 zip-bomb guard at {@code limit.inflated.size}.
 */
class BodyCodecTest {

    private static final byte[] XML = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n"
            + "  <DEVICEID>web01-2024-03-05-09-12-44</DEVICEID>\n  <QUERY>PROLOG</QUERY>\n</REQUEST>\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final int LIMIT = 64 * 1024;

    private final BodyCodec codec = new BodyCodec(LIMIT);

    // ---- detection ------------------------------------------------------------------------------------------

    @Test
    void zlibFromJavaDeflaterIsDetectedAndInflated() {
        byte[] body = zlib(XML, Deflater.DEFAULT_COMPRESSION);
        assertEquals(0x78, body[0] & 0xFF);
        assertEquals(0x9C, body[1] & 0xFF);
        BodyCodec.Decoded decoded = decode(body);
        assertEquals(BodyEncoding.ZLIB, decoded.encoding());
        assertArrayEquals(XML, decoded.xml());
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {0, 1, 5, 9})
    void zlibHeadersOfEveryCompressionLevelAreDetected(int level) {
        byte[] body = zlib(XML, level);
        // 78 01 (none/fastest), 78 5E (fast), 78 DA (best): FLEVEL differs, all valid RFC 1950 headers.
        assertEquals(0x78, body[0] & 0xFF);
        assertEquals(BodyEncoding.ZLIB, BodyEncoding.detect(body, body.length));
        assertArrayEquals(XML, decode(body).xml());
    }

    @Test
    void zlibWithASmallWindowHeaderIsDetectedToo() {
        // CMF 0x28: deflate with a 1 KiB window (CINFO 2); FLG chosen so that CMF*256+FLG is a multiple of 31.
        int cmf = 0x28;
        int flg = (31 - (cmf * 256) % 31) % 31;
        byte[] body = zlibWithHeader(cmf, flg, XML);
        assertEquals(0, ((cmf << 8) | flg) % 31);
        assertEquals(BodyEncoding.ZLIB, BodyEncoding.detect(body, body.length));
        assertArrayEquals(XML, decode(body).xml());
    }

    @Test
    void twoBytesThatFailTheZlibHeaderCheckAreNotZlib() {
        // 78 9D: checksum of the header wrong; 79 9C: compression method 9; F8 xx: CINFO 15 is past 7.
        assertNull(BodyEncoding.detect(new byte[] {0x78, (byte) 0x9D, 1, 2}, 4));
        assertNull(BodyEncoding.detect(new byte[] {0x79, (byte) 0x9C, 1, 2}, 4));
        int cmf = 0xF8;
        int flg = (31 - (cmf * 256) % 31) % 31;
        assertNull(BodyEncoding.detect(new byte[] {(byte) cmf, (byte) flg, 1, 2}, 4));
    }

    @Test
    void gzipIsDetectedAndDecompressed() {
        byte[] body = gzip(XML);
        assertEquals(0x1F, body[0] & 0xFF);
        assertEquals(0x8B, body[1] & 0xFF);
        BodyCodec.Decoded decoded = decode(body);
        assertEquals(BodyEncoding.GZIP, decoded.encoding());
        assertArrayEquals(XML, decoded.xml());
    }

    @Test
    void plainXmlWithDeclarationIsPassedThroughUnchanged() {
        BodyCodec.Decoded decoded = decode(XML);
        assertEquals(BodyEncoding.PLAIN, decoded.encoding());
        assertArrayEquals(XML, decoded.xml());
    }

    @Test
    void plainXmlWithAnUpperCaseDeclarationIsPlain() {
        byte[] body = "<?XML version=\"1.0\"?><REQUEST/>".getBytes(StandardCharsets.US_ASCII);
        assertEquals(BodyEncoding.PLAIN, decode(body).encoding());
    }

    @Test
    void plainXmlWithoutDeclarationIsPlain() {
        // The Unix agent's DOWNLOAD report has no declaration.
        byte[] body = "<REQUEST DEVICEID=\"web01-2024-03-05-09-12-44\" ERR=\"SUCCESS\" ID=\"1\" QUERY=\"DOWNLOAD\" />\n"
                .getBytes(StandardCharsets.US_ASCII);
        BodyCodec.Decoded decoded = decode(body);
        assertEquals(BodyEncoding.PLAIN, decoded.encoding());
        assertArrayEquals(body, decoded.xml());
    }

    @Test
    void plainXmlAfterAUtf8ByteOrderMarkOrLeadingWhitespaceIsPlainAndKeptWhole() {
        byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, XML);
        BodyCodec.Decoded decoded = decode(bom);
        assertEquals(BodyEncoding.PLAIN, decoded.encoding());
        assertArrayEquals(bom, decoded.xml(), "the BOM stays: the XML parser handles it");

        byte[] spaced = concat(" \r\n\t".getBytes(StandardCharsets.US_ASCII), XML);
        assertEquals(BodyEncoding.PLAIN, decode(spaced).encoding());
    }

    @Test
    void onlyTheFirstLengthBytesOfTheArrayAreTheBody() {
        byte[] body = zlib(XML, Deflater.DEFAULT_COMPRESSION);
        byte[] buffer = Arrays.copyOf(body, body.length + 100);
        Arrays.fill(buffer, body.length, buffer.length, (byte) 0x55);
        assertArrayEquals(XML, codec.decode(buffer, body.length).xml());

        byte[] plain = Arrays.copyOf(XML, XML.length + 10);
        assertArrayEquals(XML, codec.decode(plain, XML.length).xml());
    }

    // ---- round trips ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(BodyEncoding.class)
    void encodeThenDecodeGivesTheSameBytesAndEncoding(BodyEncoding encoding) {
        byte[] reply = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n  <RESPONSE>SEND</RESPONSE>\n"
                + "  <NAME>caf\u00e9</NAME>\n</REPLY>\n").getBytes(StandardCharsets.UTF_8);
        byte[] encoded = BodyCodec.encode(reply, encoding);
        BodyCodec.Decoded decoded = decode(encoded);
        assertEquals(encoding, decoded.encoding());
        assertArrayEquals(reply, decoded.xml());
    }

    @Test
    void aRepeatedReplyIsCompressedOnceAndDifferentRepliesStayApart() {
        byte[] first = ("<REPLY><RESPONSE>SEND</RESPONSE><N>" + System.nanoTime() + "</N></REPLY>")
                .getBytes(StandardCharsets.UTF_8);
        byte[] same = first.clone();
        byte[] other = first.clone();
        other[other.length - 12] ^= 1;
        byte[] a = BodyCodec.encode(first, BodyEncoding.ZLIB);
        assertTrue(a == BodyCodec.encode(same, BodyEncoding.ZLIB), "equal content: the compressed bytes are reused");
        byte[] b = BodyCodec.encode(other, BodyEncoding.ZLIB);
        assertArrayEquals(first, decode(a).xml());
        assertArrayEquals(other, decode(b).xml());
        byte[] big = new byte[5000]; // above the cached size: compressed each time, still right
        Arrays.fill(big, (byte) 'x');
        assertArrayEquals(big, decode(BodyCodec.encode(big, BodyEncoding.ZLIB)).xml());
        assertFalse(BodyCodec.encode(big, BodyEncoding.ZLIB) == BodyCodec.encode(big, BodyEncoding.ZLIB));
    }

    @Test
    void zlibReplyHasTheZlibHeaderAndInflatesWithAStandardInflater() throws DataFormatException {
        byte[] encoded = BodyCodec.encode(XML, BodyEncoding.ZLIB);
        assertEquals(0x78, encoded[0] & 0xFF, "zlib header, never raw deflate (agents fail on it)");
        assertEquals(0, (((encoded[0] & 0xFF) << 8) | (encoded[1] & 0xFF)) % 31);
        Inflater inflater = new Inflater(false);
        try {
            inflater.setInput(encoded);
            byte[] out = new byte[XML.length + 100];
            int n = inflater.inflate(out);
            assertEquals(XML.length, n);
            assertTrue(inflater.finished());
            assertArrayEquals(XML, Arrays.copyOf(out, n));
        } finally {
            inflater.end();
        }
    }

    @Test
    void gzipReplyIsStandardGzip() throws IOException {
        byte[] encoded = BodyCodec.encode(XML, BodyEncoding.GZIP);
        assertEquals(0x1F, encoded[0] & 0xFF);
        assertEquals(0x8B, encoded[1] & 0xFF);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(encoded))) {
            assertArrayEquals(XML, in.readAllBytes());
        }
    }

    @Test
    void plainReplyIsTheXmlItself() {
        assertArrayEquals(XML, BodyCodec.encode(XML, BodyEncoding.PLAIN));
    }

    @ParameterizedTest
    @EnumSource(value = BodyEncoding.class, names = {"ZLIB", "GZIP"})
    void aCompleteStreamOfNothingDecodesToNothingNotTruncated(BodyEncoding encoding) {
        // 78 9C 03 00 00 00 00 01: a whole zlib stream whose content is empty. The first inflate() returns 0 bytes
        // with all input consumed, but the stream is finished: that is not truncation (the XML parser then
        // says why an empty document is refused).
        byte[] encoded = BodyCodec.encode(new byte[0], encoding);
        BodyCodec.Decoded decoded = decode(encoded);
        assertEquals(encoding, decoded.encoding());
        assertArrayEquals(new byte[0], decoded.xml());
    }

    // ---- refused bodies -------------------------------------------------------------------------------------

    @Test
    void emptyBodyIs400EmptyBody() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decode(new byte[0], 0));
        assertEquals(400, e.status().code());
        assertEquals("empty body", e.getMessage());
        ProtocolException zeroLength = assertThrows(ProtocolException.class, () -> codec.decode(XML, 0));
        assertEquals("empty body", zeroLength.getMessage());
    }

    @Test
    void garbageIs400NeitherZlibGzipNorXml() {
        for (byte[] garbage : new byte[][] {
                "hello world".getBytes(StandardCharsets.US_ASCII),
                {0x00},
                {(byte) 0x1F},
                {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "   ".getBytes(StandardCharsets.US_ASCII),
                {(byte) 0x50, (byte) 0x4B, 3, 4}}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> decode(garbage), Arrays.toString(garbage));
            assertEquals(400, e.status().code());
            assertEquals("body is neither zlib, gzip nor XML", e.getMessage());
        }
    }

    @Test
    void truncatedZlibIs400Truncated() {
        byte[] whole = zlib(XML, Deflater.DEFAULT_COMPRESSION);
        for (int cut : new int[] {1, 4, whole.length / 2}) {
            byte[] body = Arrays.copyOf(whole, whole.length - cut);
            ProtocolException e = assertThrows(ProtocolException.class, () -> decode(body), "cut " + cut);
            assertEquals(400, e.status().code());
            assertEquals("truncated zlib body", e.getMessage());
        }
        ProtocolException headerOnly = assertThrows(ProtocolException.class, () -> decode(Arrays.copyOf(whole, 2)));
        assertEquals("truncated zlib body", headerOnly.getMessage());
    }

    @Test
    void truncatedGzipIs400Truncated() {
        byte[] whole = gzip(XML);
        for (int cut : new int[] {1, 8, whole.length / 2, whole.length - 5}) {
            byte[] body = Arrays.copyOf(whole, whole.length - cut);
            ProtocolException e = assertThrows(ProtocolException.class, () -> decode(body), "cut " + cut);
            assertEquals(400, e.status().code());
            assertEquals("truncated gzip body", e.getMessage());
        }
    }

    @Test
    void corruptZlibIs400CorruptWithTheReason() {
        byte[] badBlock = {0x78, (byte) 0x9C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(badBlock));
        assertEquals(400, e.status().code());
        assertEquals("corrupt zlib body (invalid block type)", e.getMessage());

        byte[] badChecksum = zlib(XML, Deflater.DEFAULT_COMPRESSION);
        badChecksum[badChecksum.length - 1] ^= 0x01;
        ProtocolException checksum = assertThrows(ProtocolException.class, () -> decode(badChecksum));
        assertEquals("corrupt zlib body (incorrect data check)", checksum.getMessage());
    }

    @Test
    void corruptGzipIs400() {
        byte[] body = gzip(XML);
        body[body.length - 8] ^= 0x01; // CRC-32 of the trailer
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(body));
        assertEquals(400, e.status().code());
        assertEquals("corrupt gzip body (Corrupt GZIP trailer)", e.getMessage());
    }

    // ---- limits ---------------------------------------------------------------------------------------------

    @Test
    void zlibBombIs413NamingTheLimit() {
        byte[] bomb = zlib(new byte[1 << 20], Deflater.BEST_COMPRESSION);
        assertTrue(bomb.length < 2048, "1 MiB of zeros compresses to " + bomb.length + " bytes");
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(bomb));
        assertEquals(413, e.status().code());
        assertEquals("body inflates past limit.inflated.size (65536 bytes)", e.getMessage());
    }

    @Test
    void gzipBombIs413NamingTheLimit() {
        byte[] bomb = gzip(new byte[1 << 20]);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(bomb));
        assertEquals(413, e.status().code());
        assertEquals("body inflates past limit.inflated.size (65536 bytes)", e.getMessage());
    }

    @Test
    void bodiesInflatingToExactlyTheLimitPassAndOneByteMoreFails() {
        byte[] exact = xmlOfLength(LIMIT);
        assertArrayEquals(exact, decode(zlib(exact, Deflater.DEFAULT_COMPRESSION)).xml());
        assertArrayEquals(exact, decode(gzip(exact)).xml());
        assertArrayEquals(exact, decode(exact).xml());

        byte[] over = xmlOfLength(LIMIT + 1);
        assertEquals(413, assertThrows(ProtocolException.class,
                () -> decode(zlib(over, Deflater.DEFAULT_COMPRESSION))).status().code());
        assertEquals(413, assertThrows(ProtocolException.class, () -> decode(gzip(over))).status().code());
    }

    @Test
    void plainBodyOverTheLimitIs413() {
        byte[] over = xmlOfLength(LIMIT + 1);
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(over));
        assertEquals(413, e.status().code());
        assertEquals("body inflates past limit.inflated.size (65536 bytes)", e.getMessage());
    }

    @Test
    void limitMustBePositive() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new BodyCodec(0));
        assertEquals("maxInflated: 0 (expected: > 0)", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new BodyCodec(-5));
        assertEquals("maxInflated: -5 (expected: > 0)", negative.getMessage());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private BodyCodec.Decoded decode(byte[] body) {
        return codec.decode(body, body.length);
    }

    /** A well-formed document of exactly {@code length} bytes. */
    private static byte[] xmlOfLength(int length) {
        String head = "<REQUEST><NAME>";
        String tail = "</NAME></REQUEST>";
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) 'a');
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, out, length - tail.length(), tail.length());
        return out;
    }

    static byte[] zlib(byte[] data, int level) {
        Deflater deflater = new Deflater(level, false);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** A zlib stream with a hand-made header: stored (uncompressed) deflate blocks, valid for any window size. */
    private static byte[] zlibWithHeader(int cmf, int flg, byte[] data) {
        Deflater deflater = new Deflater(Deflater.NO_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            deflater.setInput(data);
            deflater.finish();
            out.write(cmf);
            out.write(flg);
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
        } finally {
            deflater.end();
        }
        Adler32 adler = new Adler32();
        adler.update(data);
        long a = adler.getValue();
        out.write((int) (a >>> 24));
        out.write((int) (a >>> 16));
        out.write((int) (a >>> 8));
        out.write((int) a);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
