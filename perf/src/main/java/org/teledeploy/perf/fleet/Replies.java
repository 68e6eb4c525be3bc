package org.teledeploy.perf.fleet;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.teledeploy.protocol.BodyCodec;
import org.teledeploy.protocol.BodyEncoding;
import org.teledeploy.protocol.ProtocolException;

/**
 * Reads what the server answers, as an agent does: zlib-inflated PROLOG and INVENTORY replies (RESPONSE and the
 * DOWNLOAD option's PACKs) and the package info file. Anything unreadable is an {@link IllegalArgumentException}
 * (counted as a wrong reply, never ignored).
 */
public final class Replies {

    private static final XMLInputFactory XML = xmlFactory();
    private static final BodyCodec BODIES = new BodyCodec(64L << 20);

    private Replies() {}

    /** One PACK of a PROLOG reply. */
    public record Pack(String id, String infoLocation, String packLocation) {}

    /** A PROLOG or INVENTORY reply. */
    public record Reply(String response, List<Pack> packs) {}

    /** The fields of an info file the download needs. */
    public record Info(String id, int fragments, String digest, String algorithm, String encoding) {}

    public static Reply reply(byte[] zlibBody) {
        String response = null;
        List<Pack> packs = new ArrayList<>();
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(inflate(zlibBody)));
            String option = null;
            while (r.hasNext()) {
                if (r.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (r.getLocalName()) {
                    case "RESPONSE" -> response = r.getElementText();
                    case "NAME" -> option = r.getElementText();
                    case "PARAM" -> {
                        if ("DOWNLOAD".equals(option) && "PACK".equals(r.getAttributeValue(null, "TYPE"))) {
                            packs.add(new Pack(r.getAttributeValue(null, "ID"), r.getAttributeValue(null, "INFO_LOC"),
                                    r.getAttributeValue(null, "PACK_LOC")));
                        }
                    }
                    default -> { }
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("reply: not XML (" + e.getMessage() + ")", e);
        }
        if (response == null) {
            throw new IllegalArgumentException("reply: no RESPONSE");
        }
        return new Reply(response, List.copyOf(packs));
    }

    public static Info info(byte[] xml) {
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("DOWNLOAD")) {
                    String frags = r.getAttributeValue(null, "FRAGS");
                    return new Info(r.getAttributeValue(null, "ID"), frags == null ? 0 : Integer.parseInt(frags),
                            r.getAttributeValue(null, "DIGEST"), r.getAttributeValue(null, "DIGEST_ALGO"),
                            r.getAttributeValue(null, "DIGEST_ENCODE"));
                }
            }
        } catch (XMLStreamException | NumberFormatException e) {
            throw new IllegalArgumentException("info: unreadable (" + e.getMessage() + ")", e);
        }
        throw new IllegalArgumentException("info: no DOWNLOAD element");
    }

    /** A zlib body (the agents' encoding, which the server answers in), through the server's own decoder. */
    static byte[] inflate(byte[] data) {
        try {
            BodyCodec.Decoded decoded = BODIES.decode(data, data.length);
            if (decoded.encoding() != BodyEncoding.ZLIB) {
                throw new IllegalArgumentException("reply: not zlib (" + decoded.encoding() + ")");
            }
            return decoded.xml();
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("reply: " + e.getMessage(), e);
        }
    }

    private static XMLInputFactory xmlFactory() {
        XMLInputFactory f = XMLInputFactory.newInstance();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
