package org.teledeploy.perf.fleet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads what the server answers, as an agent does: zlib-inflated PROLOG and INVENTORY replies (RESPONSE and the
 * DOWNLOAD option's PACKs) and the package info file. Anything unreadable is an {@link IllegalArgumentException}
 * (counted as a wrong reply, never ignored).
 */
public final class Replies {

    private static final XMLInputFactory XML = xmlFactory();

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

    static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4 + 64);
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("reply: truncated zlib stream");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("reply: not zlib (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private static XMLInputFactory xmlFactory() {
        XMLInputFactory f = XMLInputFactory.newInstance();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
