package org.teledeploy.protocol;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses agent XML into {@link XmlNode}s, safely: no DTD, no entity of any kind beyond the five predefined ones
 * (no XXE, no billion laughs), bounded depth, attribute and text sizes. Tolerates what real agents send: a
 * document declared UTF-8 that holds Latin-1 bytes (copied from dpkg or the registry) is re-read as
 * Windows-1252, and control characters illegal in XML 1.0 are dropped instead of failing the inventory.
 */
public final class AgentXmlReader {

    private static final int MAX_ATTRIBUTE_SIZE = 64 * 1024;
    private static final int MAX_TEXT_SIZE = 4 * 1024 * 1024;
    private static final int MAX_ELEMENTS = 2_000_000;

    private static final java.util.regex.Pattern DEPTH_LIMIT =
            java.util.regex.Pattern.compile("Maximum Element Depth limit \\((\\d+)\\) Exceeded");

    private final XMLInputFactory factory;

    public AgentXmlReader(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: > 0)");
        }
        WstxInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, maxDepth);
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, MAX_ATTRIBUTE_SIZE);
        f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, MAX_TEXT_SIZE);
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_COUNT, (long) MAX_ELEMENTS);
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 256);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L); // the minimum; without a DTD none can be declared
        this.factory = f;
    }

    /**
     * Parses a whole document.
     *
     * @throws ProtocolException 400 with the parser's reason when the document is not acceptable
     */
    public XmlNode parse(byte[] xml) {
        byte[] clean = dropControlCharacters(xml);
        try {
            return read(factory.createXMLStreamReader(new ByteArrayInputStream(clean)));
        } catch (XMLStreamException e) {
            if (isEncodingError(e)) {
                // Declared UTF-8 (or nothing) but holds 8-bit bytes: agents copy raw strings; OCS falls back likewise.
                // A UTF-8 byte order mark would read as three Windows-1252 characters before the root: leave it out.
                int start = startsWithUtf8Mark(clean) ? 3 : 0;
                String latin = new String(clean, start, clean.length - start, Charset.forName("windows-1252"));
                try {
                    return read(factory.createXMLStreamReader(new StringReader(latin)));
                } catch (XMLStreamException again) {
                    throw invalid(again);
                }
            }
            throw invalid(e);
        }
    }

    private static boolean isEncodingError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CharConversionException || t instanceof java.nio.charset.CharacterCodingException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Invalid UTF-8") || m.contains("Unexpected end of input block"))) {
                return true;
            }
        }
        return false;
    }

    private static ProtocolException invalid(XMLStreamException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // StAX messages read "ParseError at [row,col]:[1,22]\nMessage: <the reason>": keep the reason only.
        int message = reason.indexOf("Message: ");
        if (message >= 0) {
            reason = reason.substring(message + "Message: ".length());
        }
        int newline = reason.indexOf('\n');
        if (newline > 0) {
            reason = reason.substring(0, newline);
        }
        // Woodstox's own words for the limits, said in the terms of the configuration.
        java.util.regex.Matcher depth = DEPTH_LIMIT.matcher(reason);
        if (depth.find()) {
            return ProtocolException.badRequest("invalid XML: nested deeper than limit.xml.depth (" + depth.group(1)
                    + " levels)");
        }
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "...";
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
        return ProtocolException.badRequest("invalid XML" + where + ": " + reason);
    }

    private static XmlNode read(XMLStreamReader reader) throws XMLStreamException {
        Deque<Builder> stack = new ArrayDeque<>();
        XmlNode root = null;
        try {
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.DTD:
                        throw ProtocolException.badRequest("invalid XML: DOCTYPE is not allowed (no DTD, no entities)");
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        throw ProtocolException.badRequest("invalid XML: entity references are not allowed");
                    case XMLStreamConstants.START_ELEMENT: {
                        Builder b = new Builder(reader.getLocalName());
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            b.attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        stack.push(b);
                        break;
                    }
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                    case XMLStreamConstants.SPACE:
                        if (!stack.isEmpty()) {
                            stack.peek().text.append(reader.getText());
                        }
                        break;
                    case XMLStreamConstants.END_ELEMENT: {
                        XmlNode node = stack.pop().build();
                        if (stack.isEmpty()) {
                            root = node;
                        } else {
                            stack.peek().children.add(node);
                        }
                        break;
                    }
                    default:
                        break;
                }
            }
        } finally {
            reader.close();
        }
        if (root == null) {
            throw new XMLStreamException("no root element");
        }
        return root;
    }

    /**
     * Removes the C0 control characters XML 1.0 forbids (all below 0x20 but tab, LF, CR). Safe on the raw bytes
     * because agents send ASCII-compatible encodings (UTF-8, ISO-8859-1), where these bytes never occur inside a
     * multi-byte character. Copies only when there is something to remove.
     */
    static byte[] dropControlCharacters(byte[] xml) {
        int bad = 0;
        for (byte b : xml) {
            if (isIllegalControl(b)) {
                bad++;
            }
        }
        if (bad == 0 || startsWithUtf16Mark(xml)) {
            return xml;
        }
        byte[] out = new byte[xml.length - bad];
        int j = 0;
        for (byte b : xml) {
            if (!isIllegalControl(b)) {
                out[j++] = b;
            }
        }
        return out;
    }

    private static boolean isIllegalControl(byte b) {
        return b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r';
    }

    private static boolean startsWithUtf8Mark(byte[] xml) {
        return xml.length >= 3 && xml[0] == (byte) 0xEF && xml[1] == (byte) 0xBB && xml[2] == (byte) 0xBF;
    }

    private static boolean startsWithUtf16Mark(byte[] xml) {
        return xml.length >= 2 && ((xml[0] == (byte) 0xFE && xml[1] == (byte) 0xFF)
                || (xml[0] == (byte) 0xFF && xml[1] == (byte) 0xFE) || xml[0] == 0 || xml[1] == 0);
    }

    private static final class Builder {
        final String name;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final List<XmlNode> children = new ArrayList<>();
        final StringBuilder text = new StringBuilder();

        Builder(String name) {
            this.name = name;
        }

        XmlNode build() {
            String t = text.toString();
            // XML::Simple drops whitespace-only text (indentation, "<BIOS>\n    </BIOS>"); real text is kept as is.
            if (t.isBlank()) {
                t = "";
            }
            return new XmlNode(name, attributes, children, t);
        }
    }
}
