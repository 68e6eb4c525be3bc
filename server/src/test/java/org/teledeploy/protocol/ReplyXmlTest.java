package org.teledeploy.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link ReplyXml}, the REPLY writer (shared/ocs-protocol.md §1.7): exact bytes (declaration, element order,
 * indentation, {@code <PARAM A="1" B="" />}), UTF-8, escaping of text and attributes, control characters dropped,
 * and that what it writes reads back unchanged through {@link AgentXmlReader}.
 */
class ReplyXmlTest {

    @Test
    void smallReplyHasExactlyTheseBytes() {
        byte[] reply = ReplyXml.reply()
                .element("RESPONSE", "SEND")
                .element("PROLOG_FREQ", 24)
                .option("DOWNLOAD")
                .param("A", "1", "B", "")
                .endOption()
                .toBytes();
        String expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<REPLY>\n"
                + "  <RESPONSE>SEND</RESPONSE>\n"
                + "  <PROLOG_FREQ>24</PROLOG_FREQ>\n"
                + "  <OPTION>\n"
                + "    <NAME>DOWNLOAD</NAME>\n"
                + "    <PARAM A=\"1\" B=\"\" />\n"
                + "  </OPTION>\n"
                + "</REPLY>\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), reply);
    }

    @Test
    void emptyReplyIsAnEmptyReplyElement() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n</REPLY>\n", text(ReplyXml.reply()));
    }

    @Test
    void elementsAndParamsKeepTheOrderTheyWereWritten() {
        String xml = text(ReplyXml.reply().element("Z", "1").element("A", "2")
                .option("DOWNLOAD").param("TYPE", "CONF", "ON", "1").param("TYPE", "PACK", "ID", "7").endOption()
                .option("REGISTRY").endOption());
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n  <Z>1</Z>\n  <A>2</A>\n"
                + "  <OPTION>\n    <NAME>DOWNLOAD</NAME>\n    <PARAM TYPE=\"CONF\" ON=\"1\" />\n"
                + "    <PARAM TYPE=\"PACK\" ID=\"7\" />\n  </OPTION>\n"
                + "  <OPTION>\n    <NAME>REGISTRY</NAME>\n  </OPTION>\n</REPLY>\n", xml);
    }

    @Test
    void textEscapesAmpersandAndAngleBrackets() {
        String xml = text(ReplyXml.reply().element("NAME", "a&b<c>d\"e'f"));
        assertEquals("  <NAME>a&amp;b&lt;c&gt;d\"e'f</NAME>", line(xml, 2));
    }

    @Test
    void attributesEscapeAmpersandAngleBracketsAndQuotes() {
        String xml = text(ReplyXml.reply().option("O").param("V", "a&b<c>d\"e'f").endOption());
        assertEquals("    <PARAM V=\"a&amp;b&lt;c&gt;d&quot;e'f\" />", line(xml, 4));
    }

    @Test
    void optionNameIsEscaped() {
        assertEquals("    <NAME>A&amp;B</NAME>", line(text(ReplyXml.reply().option("A&B").endOption()), 3));
    }

    @Test
    void lineBreaksAndTabsInAttributesAreCharacterReferences() {
        String xml = text(ReplyXml.reply().option("O").param("V", "a\nb\rc\td").endOption());
        assertEquals("    <PARAM V=\"a&#10;b&#13;c&#9;d\" />", line(xml, 4));
    }

    @Test
    void lineBreaksAndTabsInTextAreKeptExceptCarriageReturn() {
        String xml = text(ReplyXml.reply().element("N", "a\tb\r\nc"));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n  <N>a\tb&#13;\nc</N>\n</REPLY>\n", xml);
    }

    @Test
    void controlCharactersAreDropped() {
        String xml = text(ReplyXml.reply().element("N", "a\u0000b\u0001c\u001bd\u001fe")
                .option("O").param("V", "x\u0002y\u0007z").endOption());
        assertEquals("  <N>abcde</N>", line(xml, 2));
        assertEquals("    <PARAM V=\"xyz\" />", line(xml, 5));
    }

    @Test
    void nonAsciiIsWrittenAsUtf8() {
        byte[] reply = ReplyXml.reply().element("N", "caf\u00e9 \u20ac").toBytes();
        String expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n  <N>caf\u00e9 \u20ac</N>\n</REPLY>\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), reply);
    }

    @Test
    void negativeAndLargeNumbersAreWrittenInDecimal() {
        assertEquals("  <N>-1</N>", line(text(ReplyXml.reply().element("N", -1)), 2));
        assertEquals("  <N>9223372036854775807</N>", line(text(ReplyXml.reply().element("N", Long.MAX_VALUE)), 2));
    }

    @Test
    void whatIsWrittenReadsBackUnchanged() {
        String tricky = "a & b < c > d \" e ' f\ng\th \u00e9 \u20ac";
        byte[] reply = ReplyXml.reply().element("TEXT", tricky)
                .option("O").param("ATTR", tricky, "EMPTY", "").endOption().toBytes();
        XmlNode root = new AgentXmlReader(8).parse(reply);
        assertEquals("REPLY", root.name());
        assertEquals(tricky, root.valueOrEmpty("TEXT"));
        XmlNode param = root.path("OPTION", "PARAM").orElseThrow();
        assertEquals(tricky, param.attributes().get("ATTR"), "attribute newlines and tabs survive normalisation");
        assertEquals("", param.attributes().get("EMPTY"));
    }

    @Test
    void oddNumberOfParamArgumentsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReplyXml.reply().option("O").param("A", "1", "B"));
        assertEquals("namesAndValues: odd length 3 (expected: pairs)", e.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> ReplyXml.reply().param("A"));
        assertEquals("namesAndValues: odd length 1 (expected: pairs)", one.getMessage());
    }

    @Test
    void paramWithoutArgumentsIsAnEmptyParam() {
        assertEquals("    <PARAM />", line(text(ReplyXml.reply().option("O").param().endOption()), 4));
    }

    private static String text(ReplyXml reply) {
        return new String(reply.toBytes(), StandardCharsets.UTF_8);
    }

    /** Line {@code n} (0-based) of a reply. */
    private static String line(String xml, int n) {
        return xml.split("\n", -1)[n];
    }
}
