package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teledeploy.deploy.PrologOption;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.ReplyXml;
import org.teledeploy.protocol.XmlNode;

/**
 * Pins the IPDISCOVER option's bytes as {@link ReplyXml#paramWithText} writes them: the subnet as the PARAM's text
 * (what the Unix agent reads as XML::Simple's {@code content} and the Windows agent as the element text), IPDISC_LAT
 * as an attribute, both escaped, and readable back by the server's own reader.
 */
class IpDiscoverPrologTest {

    @Test
    void theParamCarriesTheSubnetAsTextAndTheLatencyAsAttribute() {
        String xml = new String(ReplyXml.reply().option("IPDISCOVER").paramWithText("192.0.2.0", "IPDISC_LAT", "100")
                .endOption().toBytes(), StandardCharsets.UTF_8);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n  <OPTION>\n    <NAME>IPDISCOVER</NAME>\n"
                + "    <PARAM IPDISC_LAT=\"100\">192.0.2.0</PARAM>\n  </OPTION>\n</REPLY>\n", xml);
        XmlNode param = new AgentXmlReader(8).parse(xml.getBytes(StandardCharsets.UTF_8)).path("OPTION", "PARAM")
                .orElseThrow();
        assertEquals("192.0.2.0", param.text());
        assertEquals("100", param.valueOrEmpty("IPDISC_LAT"));
    }

    @Test
    void textAndAttributesAreEscaped() {
        String xml = new String(ReplyXml.reply().option("X").paramWithText("a<b&c", "K", "\"v\"").endOption().toBytes(),
                StandardCharsets.UTF_8);
        assertTrue(xml.contains("<PARAM K=\"&quot;v&quot;\">a&lt;b&amp;c</PARAM>"), xml);
        assertThrows(IllegalArgumentException.class, () -> ReplyXml.reply().paramWithText("t", "odd"));
    }

    @Test
    void aPrologOptionRefusesOddAttributeLists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PrologOption.Param("192.0.2.0", List.of("IPDISC_LAT")));
        assertEquals("attributes: odd length 1 (expected: pairs)", e.getMessage());
    }
}
