package org.teledeploy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins {@link AgentRequest#of}: where QUERY and DEVICEID are read from (root attribute, root element,
 * {@code CONTENT/DEVICEID}), the DEVICEID check before the QUERY check, UPDATE exempt, and the exact 400 reasons
 * (shared/ocs-protocol.md §1.8, §2.1).
 */
class AgentRequestTest {

    private static final String DEVICE = "web01-2024-03-05-09-12-44";
    private static final String UA = "OCS-NG_unified_unix_agent_v2.10.0";

    private final AgentXmlReader reader = new AgentXmlReader(32);

    @Test
    void unixReportReadsDeviceIdAndQueryFromRootAttributes() {
        AgentRequest r = request("<REQUEST DEVICEID=\"" + DEVICE + "\" ERR=\"SUCCESS\" ID=\"1709630000\" QUERY=\"DOWNLOAD\" />\n");
        assertEquals(DEVICE, r.deviceId());
        assertEquals("DOWNLOAD", r.query());
        assertEquals("SUCCESS", r.root().valueOrEmpty("ERR"));
        assertEquals(BodyEncoding.ZLIB, r.encoding());
        assertEquals(UA, r.userAgent());
        assertEquals("192.0.2.9", r.clientIp());
    }

    @Test
    void prologReadsDeviceIdAndQueryFromRootElements() {
        AgentRequest r = request("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n  <DEVICEID>" + DEVICE
                + "</DEVICEID>\n  <QUERY>PROLOG</QUERY>\n</REQUEST>\n");
        assertEquals(DEVICE, r.deviceId());
        assertEquals("PROLOG", r.query());
        assertEquals(Optional.empty(), r.content());
    }

    @Test
    void deviceIdFallsBackToContentDeviceId() {
        AgentRequest r = request("<REQUEST><CONTENT><DEVICEID>" + DEVICE + "</DEVICEID><HARDWARE><NAME>web01</NAME>"
                + "</HARDWARE></CONTENT><QUERY>INVENTORY</QUERY></REQUEST>");
        assertEquals(DEVICE, r.deviceId());
        assertEquals("web01", r.content().orElseThrow().child("HARDWARE").orElseThrow().valueOrEmpty("NAME"));
    }

    @Test
    void rootDeviceIdWinsOverContentDeviceId() {
        AgentRequest r = request("<REQUEST><CONTENT><DEVICEID>other-2020-01-01-00-00-00</DEVICEID></CONTENT>"
                + "<DEVICEID>" + DEVICE + "</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>");
        assertEquals(DEVICE, r.deviceId());
    }

    @Test
    void emptyDeviceIdElementFallsBackToContent() {
        AgentRequest r = request("<REQUEST DEVICEID=\"\"><DEVICEID/><CONTENT><DEVICEID>" + DEVICE
                + "</DEVICEID></CONTENT><QUERY>INVENTORY</QUERY></REQUEST>");
        assertEquals(DEVICE, r.deviceId());
    }

    @Test
    void missingDeviceIdIs400() {
        assertRefused("DEVICEID missing", "<REQUEST><QUERY>PROLOG</QUERY></REQUEST>");
        assertRefused("DEVICEID missing", "<REQUEST><DEVICEID></DEVICEID><CONTENT/><QUERY>PROLOG</QUERY></REQUEST>");
        assertRefused("DEVICEID missing", "<REQUEST DEVICEID=\"\" QUERY=\"DOWNLOAD\"/>");
    }

    @Test
    void deviceIdIsCheckedBeforeQuery() {
        assertRefused("DEVICEID missing", "<REQUEST/>");
        assertRefused("DEVICEID missing", "<REQUEST><CONTENT/></REQUEST>");
        assertRefused("DEVICEID \"nope\" is malformed (expected: <name>-YYYY-MM-DD-hh-mm-ss)",
                "<REQUEST><DEVICEID>nope</DEVICEID></REQUEST>");
    }

    @Test
    void missingQueryIs400() {
        assertRefused("QUERY missing", "<REQUEST><DEVICEID>" + DEVICE + "</DEVICEID></REQUEST>");
        assertRefused("QUERY missing", "<REQUEST DEVICEID=\"" + DEVICE + "\" QUERY=\"\"/>");
    }

    @Test
    void sqlLookingDeviceIdIsMalformedAndQuotedVerbatim() {
        assertRefused("DEVICEID \"x'; DROP TABLE devices;--\" is malformed (expected: <name>-YYYY-MM-DD-hh-mm-ss)",
                "<REQUEST><DEVICEID>x'; DROP TABLE devices;--</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "web01",                                   // no date
        "2024-03-05-09-12-44",                     // date without a name
        "-2024-03-05-09-12-44",                    // empty name
        "web01-24-03-05-09-12-44",                 // year of 2 digits
        "web01-02024-03-05-09-12-44",              // year of 5 digits
        "web01-2024-3-05-09-12-44",                // month of 1 digit
        "web01-2024-03-05-09-12-444",              // seconds of 3 digits
        "web01-2024-03-05-09-12",                  // one field short
        "web01-2024-03-05-09-12-44 ",              // trailing space
        "web01-2024-03-05-09-12-44 trailing",      // trailing text
        "web01_2024_03_05_09_12_44",               // wrong separator
        "web01-2024-03-05-09-12-4\u0664",          // non-ASCII digit
        "web\u007f01-2024-03-05-09-12-44",         // DEL
    })
    void malformedDeviceIdsAre400(String deviceId) {
        ProtocolException e = refuse("<REQUEST><DEVICEID>" + escape(deviceId) + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>");
        assertTrue(e.getMessage().startsWith("DEVICEID \""), e.getMessage());
        assertTrue(e.getMessage().endsWith("\" is malformed (expected: <name>-YYYY-MM-DD-hh-mm-ss)"), e.getMessage());
    }

    @Test
    void deviceIdOf256CharactersIsMalformedAnd255IsAccepted() {
        String date = "-2024-03-05-09-12-44";
        String longest = "h".repeat(DeviceIds.MAX_LENGTH - date.length()) + date;
        assertEquals(255, longest.length());
        assertEquals(longest, request("<REQUEST><DEVICEID>" + longest + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>")
                .deviceId());
        String tooLong = "h" + longest;
        ProtocolException e = refuse("<REQUEST><DEVICEID>" + tooLong + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>");
        assertEquals("DEVICEID \"" + tooLong.substring(0, 80) + "...(256 chars)\" is malformed "
                + "(expected: <name>-YYYY-MM-DD-hh-mm-ss)", e.getMessage());
    }

    @Test
    void controlCharacterInDeviceIdIsMalformed() {
        // The XML reader drops C0 controls from the bytes, so build the tree directly.
        XmlNode root = new XmlNode("REQUEST", Map.of("DEVICEID", "web\u000101-2024-03-05-09-12-44", "QUERY", "PROLOG"),
                List.of(), "");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> AgentRequest.of(root, BodyEncoding.ZLIB, UA, "192.0.2.9"));
        assertEquals(400, e.status().code());
        assertEquals("DEVICEID \"web\\x0101-2024-03-05-09-12-44\" is malformed (expected: <name>-YYYY-MM-DD-hh-mm-ss)",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "web01-2024-03-05-09-12-44",
        "a-b-c-2024-03-05-09-12-44",
        "PC042-2024-01-10-08-00-01",
        "x-9999-99-99-99-99-99",
        "web01-2024-03-05-09-12-44-2024-03-05-09-12-44",
        "poste-fran\u00e7ois-2024-03-05-09-12-44",
        "\u30b5\u30fc\u30d0-2024-03-05-09-12-44",
        "name with spaces-2024-03-05-09-12-44",
    })
    void validDeviceIdsAreKeptExactly(String deviceId) {
        AgentRequest r = request("<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST><DEVICEID>" + deviceId
                + "</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>");
        assertEquals(deviceId, r.deviceId());
    }

    @Test
    void updateNeedsNoDeviceId() {
        AgentRequest r = request("<REQUEST><QUERY>UPDATE</QUERY></REQUEST>");
        assertEquals("UPDATE", r.query());
        assertNull(r.deviceId());
        AgentRequest malformed = request("<REQUEST><DEVICEID>nope</DEVICEID><QUERY>UPDATE</QUERY></REQUEST>");
        assertEquals("UPDATE", malformed.query());
    }

    @Test
    void queryIsCaseSensitiveSoLowerCaseUpdateStillNeedsADeviceId() {
        assertRefused("DEVICEID missing", "<REQUEST><QUERY>update</QUERY></REQUEST>");
        assertEquals("prolog", request("<REQUEST DEVICEID=\"" + DEVICE + "\" QUERY=\"prolog\"/>").query(),
                "passed on verbatim; the dispatcher refuses unknown queries");
    }

    @Test
    void missingUserAgentBecomesEmpty() {
        XmlNode root = reader.parse(bytes("<REQUEST DEVICEID=\"" + DEVICE + "\" QUERY=\"PROLOG\"/>"));
        assertEquals("", AgentRequest.of(root, BodyEncoding.PLAIN, null, "10.0.0.1").userAgent());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private AgentRequest request(String xml) {
        return AgentRequest.of(reader.parse(bytes(xml)), BodyEncoding.ZLIB, UA, "192.0.2.9");
    }

    private ProtocolException refuse(String xml) {
        XmlNode root = reader.parse(bytes(xml));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> AgentRequest.of(root, BodyEncoding.ZLIB, UA, "192.0.2.9"), xml);
        assertEquals(400, e.status().code());
        return e;
    }

    private void assertRefused(String message, String xml) {
        assertEquals(message, refuse(xml).getMessage(), xml);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
