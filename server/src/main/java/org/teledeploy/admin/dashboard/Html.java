package org.teledeploy.admin.dashboard;

/**
 * A page being written: markup the code spells out ({@link #raw}) and values, always escaped ({@link #text}).
 * Package names, DEVICEIDs, result codes and host names come from agents or admins, so nothing that is not a
 * literal of this package ever goes through {@link #raw}.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(8192);

    /** Markup written by this package (a literal or built from literals and escaped values). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** A value as text, escaped for element content and double-quoted attributes alike. */
    Html text(Object value) {
        out.append(escape(String.valueOf(value)));
        return this;
    }

    /** {@code <tag class="cls">value</tag>} with the value escaped; no class attribute when {@code cls} is empty. */
    Html element(String tag, String cls, Object value) {
        out.append('<').append(tag);
        if (!cls.isEmpty()) {
            out.append(" class=\"").append(cls).append('"');
        }
        out.append('>');
        text(value);
        return raw("</" + tag + ">");
    }

    /** {@code <a href="href">value</a>}, both escaped. */
    Html link(String href, Object value) {
        return raw("<a href=\"").text(href).raw("\">").text(value).raw("</a>");
    }

    /** {@code <a class="cls" href="href">value</a>}, both escaped. */
    Html link(String cls, String href, Object value) {
        return raw("<a class=\"" + cls + "\" href=\"").text(href).raw("\">").text(value).raw("</a>");
    }

    /** Escapes {@code & < > " '} (enough for text and quoted attributes; nothing is ever unquoted). */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement == null && c < 0x20 && c != '\n' && c != '\t') {
                replacement = "\uFFFD"; // control characters: not valid in HTML text
            }
            if (replacement != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(replacement);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
