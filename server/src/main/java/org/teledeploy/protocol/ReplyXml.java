package org.teledeploy.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Writes REPLY documents the way both agents read them (shared/ocs-protocol.md §1.7): top-level values as child
 * elements with text, option PARAM values as attributes, everything escaped, UTF-8. A tiny append-only builder
 * instead of a DOM: replies are small and written on the event loop at every PROLOG.
 */
public final class ReplyXml {

    /** Room for CONF and about eight PACKs without growing (every growth copies the reply so far). */
    private final StringBuilder sb = new StringBuilder(2048);

    private ReplyXml() {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REPLY>\n");
    }

    public static ReplyXml reply() {
        return new ReplyXml();
    }

    /** {@code <NAME>value</NAME>} at the top level. */
    public ReplyXml element(String name, String value) {
        sb.append("  <").append(name).append('>');
        escape(value, false);
        sb.append("</").append(name).append(">\n");
        return this;
    }

    public ReplyXml element(String name, long value) {
        sb.append("  <").append(name).append('>').append(value).append("</").append(name).append(">\n");
        return this;
    }

    /** Starts {@code <OPTION><NAME>name</NAME>}; add PARAMs, then {@link #endOption()}. */
    public ReplyXml option(String name) {
        sb.append("  <OPTION>\n    <NAME>");
        escape(name, false);
        sb.append("</NAME>\n");
        return this;
    }

    /**
     * A {@code <PARAM a="v" .../>} with the given attribute name/value pairs, in order (order matters to no agent
     * but keeps replies diffable; §3.5 recommends a fixed one).
     */
    public ReplyXml param(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues: odd length " + namesAndValues.length + " (expected: pairs)");
        }
        sb.append("    <PARAM");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            sb.append(' ').append(namesAndValues[i]).append("=\"");
            escape(namesAndValues[i + 1], true);
            sb.append('"');
        }
        sb.append(" />\n");
        return this;
    }

    /**
     * A {@code <PARAM a="v" ...>text</PARAM>}: options that carry a value in the PARAM's text as well as in
     * attributes (IPDISCOVER: the subnet; REGISTRY: the value name). Agents read the text as XML::Simple's
     * {@code content} (Unix) or the element text (Windows).
     */
    public ReplyXml paramWithText(String text, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues: odd length " + namesAndValues.length + " (expected: pairs)");
        }
        sb.append("    <PARAM");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            sb.append(' ').append(namesAndValues[i]).append("=\"");
            escape(namesAndValues[i + 1], true);
            sb.append('"');
        }
        sb.append('>');
        escape(text, false);
        sb.append("</PARAM>\n");
        return this;
    }

    public ReplyXml endOption() {
        sb.append("  </OPTION>\n");
        return this;
    }

    public byte[] toBytes() {
        int open = sb.length();
        String xml = sb.append("</REPLY>\n").toString();
        sb.setLength(open); // still open: the builder may be appended to and written again
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String value, boolean attribute) {
        if (!needsEscape(value)) {
            sb.append(value); // the usual case (IDs, locations, numbers): one copy instead of a char at a time
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append(attribute ? "&quot;" : "\""); break;
                case '\n': sb.append(attribute ? "&#10;" : "\n"); break;
                case '\r': sb.append("&#13;"); break;
                case '\t': sb.append(attribute ? "&#9;" : "\t"); break;
                default:
                    if (c < 0x20) {
                        break; // illegal in XML 1.0: dropped
                    }
                    sb.append(c);
            }
        }
    }

    /** Whether {@link #escape} would write anything but {@code value} itself, in text or attribute alike. */
    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"') {
                return true;
            }
        }
        return false;
    }
}
