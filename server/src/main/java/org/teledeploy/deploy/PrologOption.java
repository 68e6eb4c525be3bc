package org.teledeploy.deploy;

import java.util.List;
import org.teledeploy.protocol.ReplyXml;

/**
 * One OPTION of a PROLOG reply other than DOWNLOAD, as a {@link PrologOptions} contributor hands it to
 * {@link PrologService}: its PARAMs, and what it needs from the rest of the reply. Exists so that inventory
 * features (IPDISCOVER now; REGISTRY or SNMP later) plug into the PROLOG without PrologService knowing them.
 *
 * @param name the option NAME, e.g. {@code IPDISCOVER}
 * @param params its PARAM elements, in order
 * @param forceSend the reply must say {@code RESPONSE=SEND} (the agent reports the option's result in its
 *     inventory)
 * @param closeConnection answer with {@code Connection: close}
 */
public record PrologOption(String name, List<Param> params, boolean forceSend, boolean closeConnection) {

    public PrologOption {
        params = List.copyOf(params);
    }

    /**
     * One PARAM: attribute name/value pairs, and a text (empty for none).
     *
     * @param text the PARAM's text content, or "" for {@code <PARAM .../>}
     * @param attributes name, value, name, value, ...
     */
    public record Param(String text, List<String> attributes) {
        public Param {
            attributes = List.copyOf(attributes);
            if (attributes.size() % 2 != 0) {
                throw new IllegalArgumentException("attributes: odd length " + attributes.size() + " (expected: pairs)");
            }
        }
    }

    void appendTo(ReplyXml reply) {
        reply.option(name);
        for (Param p : params) {
            String[] attributes = p.attributes().toArray(String[]::new);
            if (p.text().isEmpty()) {
                reply.param(attributes);
            } else {
                reply.paramWithText(p.text(), attributes);
            }
        }
        reply.endOption();
    }
}
