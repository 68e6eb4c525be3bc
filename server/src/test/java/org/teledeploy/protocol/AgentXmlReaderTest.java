package org.teledeploy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.OcsClient;

/**
 * Pins {@link AgentXmlReader} and {@link XmlNode}: the Perl XML::Simple reading rules agents rely on
 * (shared/ocs-protocol.md §1.6: attributes ≡ elements, empty = absent, lists, first wins, case-sensitive, root
 * name ignored, whitespace kept), the security guards (no DTD, no entity, no external fetch, bounded depth and
 * attribute size, all a 400 "invalid XML ..." that leaks nothing) and the tolerance for what real agents send
 * (§1.5: Latin-1 bytes in a UTF-8 document, control characters, declared encodings, UTF-16).
 */
class AgentXmlReaderTest {

    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final AgentXmlReader reader = new AgentXmlReader(32);

    // ---- XML::Simple semantics --------------------------------------------------------------------------------

    @Test
    void rootAttributeAndChildElementMeanTheSame() {
        XmlNode attribute = parse("<REQUEST QUERY=\"DOWNLOAD\"/>");
        XmlNode element = parse("<REQUEST><QUERY>DOWNLOAD</QUERY></REQUEST>");
        assertEquals(Optional.of("DOWNLOAD"), attribute.value("QUERY"));
        assertEquals(Optional.of("DOWNLOAD"), element.value("QUERY"));
        assertEquals("DOWNLOAD", attribute.valueOrEmpty("QUERY"));
    }

    @Test
    void theRuleAppliesAtEveryLevel() {
        XmlNode root = parse("<REQUEST><CONTENT><DOWNLOAD><HISTORY>"
                + "<PACKAGE ID=\"1\"/><PACKAGE><ID>2</ID></PACKAGE>"
                + "</HISTORY></DOWNLOAD></CONTENT></REQUEST>");
        List<XmlNode> packages = root.path("CONTENT", "DOWNLOAD", "HISTORY").orElseThrow().list("PACKAGE");
        assertEquals(2, packages.size());
        assertEquals(Optional.of("1"), packages.get(0).value("ID"));
        assertEquals(Optional.of("2"), packages.get(1).value("ID"));
    }

    @Test
    void windowsAgentMixOfAttributesAndElementsReadsLikeEitherForm() {
        XmlNode root = parse(DECLARATION + "<REQUEST ID=\"1709630000\" ERR=\"EXIT_CODE_1603\">"
                + "<DEVICEID>PC042-2024-01-10-08-00-01</DEVICEID><CONTENT/><QUERY>DOWNLOAD</QUERY></REQUEST>");
        assertEquals("1709630000", root.valueOrEmpty("ID"));
        assertEquals("EXIT_CODE_1603", root.valueOrEmpty("ERR"));
        assertEquals("PC042-2024-01-10-08-00-01", root.valueOrEmpty("DEVICEID"));
        assertEquals("DOWNLOAD", root.valueOrEmpty("QUERY"));
        assertEquals(Optional.empty(), root.child("CONTENT"), "the empty CONTENT counts as absent");
    }

    @Test
    void emptyElementIsAbsentForValueChildAndList() {
        XmlNode root = parse("<REQUEST><CONTENT/><ERR></ERR></REQUEST>");
        for (String name : List.of("CONTENT", "ERR")) {
            assertEquals(Optional.empty(), root.value(name), name);
            assertEquals(Optional.empty(), root.child(name), name);
            assertEquals(List.of(), root.list(name), name);
            assertEquals("", root.valueOrEmpty(name), name);
        }
        assertEquals(2, root.children().size(), "still in the raw tree");
    }

    @Test
    void emptyAttributeIsAbsent() {
        XmlNode root = parse("<REQUEST ERR=\"\" QUERY=\"DOWNLOAD\"/>");
        assertEquals(Optional.empty(), root.value("ERR"));
        assertEquals("", root.valueOrEmpty("ERR"));
    }

    @Test
    void emptyAttributeFallsBackToAnElementOfTheSameName() {
        XmlNode root = parse("<REQUEST ERR=\"\"><ERR>SUCCESS</ERR></REQUEST>");
        assertEquals(Optional.of("SUCCESS"), root.value("ERR"));
    }

    @Test
    void whitespaceOnlyElementIsAbsent() {
        XmlNode root = parse("<REQUEST><CONTENT>\n    <BIOS>\n    </BIOS>\n    <HARDWARE> \t </HARDWARE>\n"
                + "  </CONTENT></REQUEST>");
        XmlNode content = root.child("CONTENT").orElseThrow();
        for (String name : List.of("BIOS", "HARDWARE")) {
            assertEquals(Optional.empty(), content.value(name), name);
            assertEquals(Optional.empty(), content.child(name), name);
            assertEquals(List.of(), content.list(name), name);
        }
        assertEquals("", content.text(), "indentation is not text");
        assertFalse(content.isEmpty(), "it has children");
    }

    @Test
    void aListOfOneIsAListOfOne() {
        XmlNode content = parse("<REQUEST><CONTENT><SOFTWARES><NAME>adduser</NAME></SOFTWARES></CONTENT></REQUEST>")
                .child("CONTENT").orElseThrow();
        List<XmlNode> software = content.list("SOFTWARES");
        assertEquals(1, software.size());
        assertEquals("adduser", software.get(0).valueOrEmpty("NAME"));
        assertEquals(List.of(), content.list("NETWORKS"), "absent is an empty list, never null");
    }

    @Test
    void listKeepsDocumentOrderAndSkipsEmptyItems() {
        XmlNode content = parse("<R><C><NETWORKS><D>a</D></NETWORKS><NETWORKS/><X/><NETWORKS><D>b</D></NETWORKS>"
                + "<NETWORKS>  </NETWORKS><NETWORKS><D>c</D></NETWORKS></C></R>").child("C").orElseThrow();
        assertEquals(List.of("a", "b", "c"), content.list("NETWORKS").stream().map(n -> n.valueOrEmpty("D")).toList());
    }

    @Test
    void aNonListElementThatAppearsTwiceIsReadFromTheFirst() {
        XmlNode root = parse("<REQUEST><QUERY>PROLOG</QUERY><QUERY>INVENTORY</QUERY>"
                + "<HARDWARE><NAME>first</NAME></HARDWARE><HARDWARE><NAME>second</NAME></HARDWARE></REQUEST>");
        assertEquals(Optional.of("PROLOG"), root.value("QUERY"));
        assertEquals("first", root.child("HARDWARE").orElseThrow().valueOrEmpty("NAME"));
        assertEquals("first", root.path("HARDWARE").orElseThrow().valueOrEmpty("NAME"));
    }

    @Test
    void anAttributeWinsOverAnElementOfTheSameName() {
        XmlNode root = parse("<REQUEST QUERY=\"DOWNLOAD\"><QUERY>PROLOG</QUERY></REQUEST>");
        assertEquals(Optional.of("DOWNLOAD"), root.value("QUERY"));
    }

    @Test
    void namesAndValuesAreCaseSensitive() {
        XmlNode root = parse("<REQUEST query=\"x\"><Query>PROLOG</Query><DEVICEID>Web01</DEVICEID></REQUEST>");
        assertEquals(Optional.empty(), root.value("QUERY"));
        assertEquals(Optional.of("x"), root.value("query"));
        assertEquals(Optional.of("PROLOG"), root.value("Query"));
        assertEquals(Optional.empty(), root.child("deviceid"));
        assertEquals("Web01", root.valueOrEmpty("DEVICEID"));
    }

    @Test
    void theRootElementNameIsIgnored() {
        for (String rootName : List.of("REQUEST", "REPLY", "whatever", "R")) {
            XmlNode root = parse("<" + rootName + "><QUERY>PROLOG</QUERY></" + rootName + ">");
            assertEquals(rootName, root.name());
            assertEquals(Optional.of("PROLOG"), root.value("QUERY"), rootName);
        }
    }

    @Test
    void whitespaceInsideRealTextIsKept() {
        XmlNode root = parse("<REQUEST><NAME> a  b </NAME><MULTI>line one\n  line two</MULTI>"
                + "<ATTR V=\"  x  \"/></REQUEST>");
        assertEquals(" a  b ", root.valueOrEmpty("NAME"));
        assertEquals("line one\n  line two", root.valueOrEmpty("MULTI"));
        assertEquals("  x  ", root.child("ATTR").orElseThrow().valueOrEmpty("V"));
    }

    @Test
    void textAndCdataAndPredefinedEntitiesAreCoalesced() {
        XmlNode root = parse("<REQUEST><NAME>a &amp; b <![CDATA[<c>]]> &lt;d&gt; &#233;&#x20AC;</NAME></REQUEST>");
        assertEquals("a & b <c> <d> \u00e9\u20ac", root.valueOrEmpty("NAME"));
    }

    @Test
    void pathFollowsFirstNonEmptyChildren() {
        XmlNode root = parse("<R><CONTENT/><CONTENT><DOWNLOAD><HISTORY><PACKAGE ID=\"7\"/></HISTORY></DOWNLOAD>"
                + "</CONTENT></R>");
        assertEquals("7", root.path("CONTENT", "DOWNLOAD", "HISTORY", "PACKAGE").orElseThrow().valueOrEmpty("ID"));
        assertEquals(Optional.empty(), root.path("CONTENT", "MISSING"));
        assertEquals(root, root.path().orElseThrow());
    }

    // ---- security ---------------------------------------------------------------------------------------------

    @Test
    void doctypeWithAnInternalSubsetIsRefused() {
        ProtocolException e = invalid(DECLARATION + "<!DOCTYPE REQUEST [<!ENTITY x \"PROLOG\">]>"
                + "<REQUEST><QUERY>&x;</QUERY></REQUEST>");
        assertEquals("invalid XML: DOCTYPE is not allowed (no DTD, no entities)", e.getMessage());
    }

    @Test
    void externalFileEntityIsNeitherResolvedNorLeaked() throws IOException {
        ProtocolException e = invalid(DECLARATION + "<!DOCTYPE REQUEST [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<REQUEST><DEVICEID>&xxe;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>");
        assertEquals("invalid XML: DOCTYPE is not allowed (no DTD, no entities)", e.getMessage());
        assertNoFileContent(e.getMessage(), Path.of("/etc/passwd"));
    }

    @Test
    void externalEntityFromATempFileIsNotResolved(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-7f3a9c");
        ProtocolException e = invalid(DECLARATION + "<!DOCTYPE REQUEST [<!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">]><REQUEST><QUERY>&xxe;</QUERY></REQUEST>");
        assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
        ProtocolException parameter = invalid(DECLARATION + "<!DOCTYPE REQUEST [<!ENTITY % p SYSTEM \""
                + secret.toUri() + "\"> %p;]><REQUEST/>");
        assertFalse(parameter.getMessage().contains("TOP-SECRET"), parameter.getMessage());
    }

    @Test
    void httpExternalEntityAndExternalDtdAreNeverFetched() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            String url = "http://127.0.0.1:" + ((InetSocketAddress) listener.getLocalAddress()).getPort() + "/x";
            invalid(DECLARATION + "<!DOCTYPE REQUEST [<!ENTITY xxe SYSTEM \"" + url + "\">]>"
                    + "<REQUEST><QUERY>&xxe;</QUERY></REQUEST>");
            invalid(DECLARATION + "<!DOCTYPE REQUEST SYSTEM \"" + url + ".dtd\"><REQUEST><QUERY>PROLOG</QUERY></REQUEST>");
            invalid(DECLARATION + "<!DOCTYPE REQUEST PUBLIC \"-//X//Y\" \"" + url + ".dtd\"><REQUEST/>");
            // parse() is synchronous: had it connected, the handshake would be complete and waiting in the backlog.
            assertNull(listener.accept(), "the parser connected to " + url);
        }
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                dtd.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
            }
            dtd.append("\">");
        }
        dtd.append("]>");
        ProtocolException e = invalid(DECLARATION + dtd + "<lolz><QUERY>&lol9;</QUERY></lolz>");
        assertFalse(e.getMessage().contains("lollol"), e.getMessage());
    }

    @Test
    void undeclaredEntityIsRefused() {
        ProtocolException e = invalid("<REQUEST><QUERY>&foo;</QUERY></REQUEST>");
        assertEquals("invalid XML at line 1, column 21: Undeclared general entity \"foo\"", e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        AgentXmlReader shallow = new AgentXmlReader(4);
        XmlNode ok = shallow.parse(bytes("<A><B><C><D>x</D></C></B></A>"));
        assertEquals("x", ok.path("B", "C").orElseThrow().valueOrEmpty("D"));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> shallow.parse(bytes("<A><B><C><D><E>x</E></D></C></B></A>")));
        assertEquals(400, e.status().code());
        assertEquals("invalid XML: nested deeper than limit.xml.depth (4 levels)", e.getMessage());

        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            deep.append("<a>");
        }
        ProtocolException hostile = invalid(deep.toString());
        assertTrue(hostile.getMessage().startsWith("invalid XML"), hostile.getMessage());
    }

    @Test
    void maxDepthMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AgentXmlReader(0));
        assertEquals("maxDepth: 0 (expected: > 0)", e.getMessage());
    }

    @Test
    void attributeValueOver64KiBIsRefused() {
        String fits = "x".repeat(60 * 1024);
        assertEquals(fits, parse("<REQUEST ERR=\"" + fits + "\"/>").valueOrEmpty("ERR"));
        ProtocolException e = invalid("<REQUEST ERR=\"" + "x".repeat(64 * 1024 + 1) + "\"/>");
        assertEquals("invalid XML: Maximum attribute size limit (65536) exceeded", e.getMessage());
    }

    @Test
    void notWellFormedNamesLineAndColumn() {
        ProtocolException e = invalid("<REQUEST>\n  <QUERY>PROLOG</QUERY>\n</REQUST>\n");
        assertEquals("invalid XML at line 3, column 8: Unexpected close tag </REQUST>; expected </REQUEST>.",
                e.getMessage());
        ProtocolException characterReference = invalid("<REQUEST>\n<NAME>&#1;</NAME></REQUEST>");
        assertTrue(characterReference.getMessage().startsWith("invalid XML at line 2, column "),
                characterReference.getMessage());
    }

    @Test
    void emptyAndTextOnlyDocumentsAreRefused() {
        assertEquals("invalid XML at line 1, column 0: Unexpected EOF in prolog", invalid("").getMessage());
        invalid("   \n");
        invalid("just text");
        invalid(DECLARATION);
    }

    @Test
    void trailingGarbageAfterTheRootIsRefused() {
        invalid("<REQUEST/><REQUEST/>");
        invalid("<REQUEST/>garbage");
    }

    // ---- tolerance ---------------------------------------------------------------------------------------------

    @Test
    void latin1ByteInADocumentDeclaredUtf8IsReadAsLatin1() {
        byte[] xml = concat(bytes(DECLARATION + "<REQUEST><NAME>caf"), new byte[] {(byte) 0xE9},
                bytes("</NAME><OTHER>ok</OTHER></REQUEST>"));
        XmlNode root = reader.parse(xml);
        assertEquals("caf\u00e9", root.valueOrEmpty("NAME"));
        assertEquals("ok", root.valueOrEmpty("OTHER"));
    }

    @Test
    void windows1252BytesInAnUndeclaredDocumentAreReadAsWindows1252() {
        // 0x80 is the euro sign in Windows-1252 (raw registry strings), 0xE9 é; the Unix report has no declaration.
        byte[] xml = concat(bytes("<REQUEST ERR=\"x"), new byte[] {(byte) 0x80, (byte) 0xE9}, bytes("\"/>"));
        assertEquals("x\u20ac\u00e9", reader.parse(xml).valueOrEmpty("ERR"));
    }

    @Test
    void latin1ByteAfterAUtf8ByteOrderMarkIsReadAsLatin1Too() {
        byte[] xml = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                bytes(DECLARATION + "<REQUEST><NAME>caf"), new byte[] {(byte) 0xE9}, bytes("</NAME></REQUEST>"));
        assertEquals("caf\u00e9", reader.parse(xml).valueOrEmpty("NAME"));
    }

    @Test
    void validUtf8IsReadAsUtf8() {
        XmlNode root = reader.parse((DECLARATION + "<REQUEST><NAME>M\u00fcller \u00e9t\u00e9 \u20ac \u30b5\u30fc\u30d0"
                + "</NAME></REQUEST>").getBytes(StandardCharsets.UTF_8));
        assertEquals("M\u00fcller \u00e9t\u00e9 \u20ac \u30b5\u30fc\u30d0", root.valueOrEmpty("NAME"));
    }

    @Test
    void controlCharactersAreDroppedAndTheRestKept() {
        byte[] xml = concat(bytes(DECLARATION + "<REQUEST><NAME>a"), new byte[] {0x01}, bytes("b"),
                new byte[] {0x1B}, bytes("c\td</NAME><ERR V=\"x"), new byte[] {0x07, 0x00}, bytes("y\"/></REQUEST>"));
        XmlNode root = reader.parse(xml);
        assertEquals("abc\td", root.valueOrEmpty("NAME"));
        assertEquals("xy", root.child("ERR").orElseThrow().valueOrEmpty("V"));
    }

    @Test
    void controlCharactersAndLatin1TogetherAreBothHandled() {
        byte[] xml = concat(bytes(DECLARATION + "<REQUEST><NAME>caf"), new byte[] {(byte) 0xE9, 0x02},
                bytes("!</NAME></REQUEST>"));
        assertEquals("caf\u00e9!", reader.parse(xml).valueOrEmpty("NAME"));
    }

    @Test
    void iso88591DeclaredDocumentIsDecodedAsDeclared() {
        String text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<REQUEST><NAME>caf\u00e9 \u00fc\u00df</NAME>"
                + "<A V=\"\u00c9t\u00e9\"/></REQUEST>";
        XmlNode root = reader.parse(text.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("caf\u00e9 \u00fc\u00df", root.valueOrEmpty("NAME"));
        assertEquals("\u00c9t\u00e9", root.child("A").orElseThrow().valueOrEmpty("V"));
    }

    @Test
    void utf16DocumentsWithAByteOrderMarkParse() {
        String text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<REQUEST><NAME>caf\u00e9 \u30b5</NAME>"
                + "<QUERY>PROLOG</QUERY></REQUEST>";
        byte[] bigEndian = text.getBytes(StandardCharsets.UTF_16); // FE FF + UTF-16BE
        assertEquals((byte) 0xFE, bigEndian[0]);
        assertEquals("caf\u00e9 \u30b5", reader.parse(bigEndian).valueOrEmpty("NAME"));

        byte[] littleEndian = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
        XmlNode root = reader.parse(littleEndian);
        assertEquals("caf\u00e9 \u30b5", root.valueOrEmpty("NAME"));
        assertEquals("PROLOG", root.valueOrEmpty("QUERY"));
    }

    @Test
    void anotherDeclaredCharsetIsHonoured() {
        Charset cp1252 = Charset.forName("windows-1252");
        String text = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><R><N>\u20ac\u2019</N></R>";
        assertEquals("\u20ac\u2019", reader.parse(text.getBytes(cp1252)).valueOrEmpty("N"));
    }

    @Test
    void theRealAgentInventoryParses() throws IOException {
        byte[] xml;
        try (InputStream in = AgentXmlReaderTest.class.getResourceAsStream("/agent-2.10/inventory.zlib")) {
            xml = OcsClient.inflate(in.readAllBytes());
        }
        XmlNode root = reader.parse(xml);
        assertEquals("INVENTORY", root.valueOrEmpty("QUERY"));
        assertEquals(747, root.child("CONTENT").orElseThrow().list("SOFTWARES").size());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private XmlNode parse(String xml) {
        return reader.parse(bytes(xml));
    }

    private ProtocolException invalid(String xml) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader.parse(bytes(xml)),
                () -> "accepted: " + xml.substring(0, Math.min(200, xml.length())));
        assertEquals(400, e.status().code());
        assertTrue(e.getMessage().startsWith("invalid XML"), e.getMessage());
        return e;
    }

    private static void assertNoFileContent(String message, Path file) throws IOException {
        assertFalse(message.contains("root:"), message);
        if (Files.isReadable(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.length() >= 8) {
                    assertFalse(message.contains(line), "leaked: " + message);
                }
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
