package org.teledeploy.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One element of an agent request, read the way OCS's Perl XML::Simple reads it (shared/ocs-protocol.md §1.6):
 * an attribute and a child element of the same name mean the same thing, an empty element or attribute is
 * absent, and a name that repeats is a list. Names and values are case-sensitive.
 */
public final class XmlNode {

    private final String name;
    private final Map<String, String> attributes;
    private final List<XmlNode> children;
    private final String text;

    XmlNode(String name, Map<String, String> attributes, List<XmlNode> children, String text) {
        this.name = name;
        this.attributes = attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.children = children.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(children));
        this.text = text;
    }

    public String name() {
        return name;
    }

    /** The element's own text, or "" (whitespace-only text counts as none). */
    public String text() {
        return text;
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    public List<XmlNode> children() {
        return children;
    }

    /** No text, no attributes, no children: XML::Simple treats it as absent. */
    public boolean isEmpty() {
        return text.isEmpty() && attributes.isEmpty() && children.isEmpty();
    }

    /**
     * The value of {@code key}: a non-empty attribute, else the text of the first non-empty child element of that
     * name. Empty values are absent.
     */
    public Optional<String> value(String key) {
        String attribute = attributes.get(key);
        if (attribute != null && !attribute.isEmpty()) {
            return Optional.of(attribute);
        }
        for (XmlNode child : children) {
            if (child.name.equals(key) && !child.text.isEmpty()) {
                return Optional.of(child.text);
            }
        }
        return Optional.empty();
    }

    /** {@link #value} or "". */
    public String valueOrEmpty(String key) {
        return value(key).orElse("");
    }

    /** The first non-empty child element named {@code key}. */
    public Optional<XmlNode> child(String key) {
        for (XmlNode child : children) {
            if (child.name.equals(key) && !child.isEmpty()) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    /** Every non-empty child element named {@code key}, in document order: a list even with one item. */
    public List<XmlNode> list(String key) {
        List<XmlNode> out = null;
        for (XmlNode child : children) {
            if (child.name.equals(key) && !child.isEmpty()) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(child);
            }
        }
        return out == null ? List.of() : out;
    }

    /** Follows a path of first children, e.g. {@code path("CONTENT", "DOWNLOAD", "HISTORY")}. */
    public Optional<XmlNode> path(String... names) {
        XmlNode node = this;
        for (String n : names) {
            Optional<XmlNode> next = node.child(n);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            node = next.get();
        }
        return Optional.of(node);
    }

    @Override
    public String toString() {
        return "<" + name + (attributes.isEmpty() ? "" : " " + attributes) + ">"
                + (children.isEmpty() ? text : children.size() + " children");
    }
}
