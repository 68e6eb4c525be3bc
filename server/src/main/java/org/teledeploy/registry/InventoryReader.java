package org.teledeploy.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.protocol.DeviceIds;
import org.teledeploy.protocol.XmlNode;

/**
 * Extracts an {@link Inventory} from the CONTENT of an INVENTORY request (shared/ocs-protocol.md §2.3). Every
 * section is optional; lists are lists even with one item; values are bounded so a hostile agent cannot make
 * the registry store megabytes per field.
 */
public final class InventoryReader {

    private static final Logger log = LoggerFactory.getLogger(InventoryReader.class);

    /** Longest value kept for one field; longer ones are cut. */
    static final int MAX_VALUE = 1024;
    /** Package IDs are ASCII digits (§4.1); anything else in a history cannot be ours. */
    private static final int MAX_PACKAGE_ID = 32;

    private InventoryReader() {}

    public static Inventory read(Optional<XmlNode> content) {
        XmlNode empty = content.orElse(null);
        if (empty == null) {
            return new Inventory("", "", "", "", "", "", "", "", "", "", "", "", "", "",
                    List.of(), List.of(), List.of(), Optional.empty());
        }
        XmlNode c = content.get();
        Optional<XmlNode> hardware = c.child("HARDWARE");
        Optional<XmlNode> bios = c.child("BIOS");
        String arch = value(hardware, "ARCH");
        if (arch.isEmpty()) {
            // The Unix agent sends no HARDWARE/ARCH; its CPUS sections carry the architecture.
            arch = c.list("CPUS").stream().map(cpu -> bounded(cpu.valueOrEmpty("CPUARCH")))
                    .filter(s -> !s.isEmpty()).findFirst().orElse("");
        }
        String userId = value(hardware, "USERID");
        if (userId.isEmpty()) {
            userId = value(hardware, "LASTLOGGEDUSER");
        }
        return new Inventory(
                value(hardware, "NAME"),
                value(hardware, "OSNAME"),
                value(hardware, "OSVERSION"),
                value(hardware, "OSCOMMENTS"),
                arch,
                value(hardware, "IPADDR"),
                userId,
                value(hardware, "WORKGROUP"),
                value(hardware, "USERDOMAIN"),
                tag(c),
                value(bios, "SSN"),
                value(bios, "SMANUFACTURER"),
                value(bios, "SMODEL"),
                value(hardware, "UUID"),
                networks(c),
                software(c),
                history(c),
                oldDeviceId(c));
    }

    private static String tag(XmlNode content) {
        for (XmlNode info : content.list("ACCOUNTINFO")) {
            if (info.valueOrEmpty("KEYNAME").equals("TAG")) {
                return bounded(info.valueOrEmpty("KEYVALUE"));
            }
        }
        return "";
    }

    private static List<Inventory.Network> networks(XmlNode content) {
        List<Inventory.Network> out = new ArrayList<>();
        for (XmlNode n : content.list("NETWORKS")) {
            out.add(new Inventory.Network(
                    bounded(n.valueOrEmpty("DESCRIPTION")), bounded(n.valueOrEmpty("IPADDRESS")),
                    bounded(n.valueOrEmpty("IPMASK")), bounded(n.valueOrEmpty("IPSUBNET")),
                    bounded(n.valueOrEmpty("IPGATEWAY")), bounded(n.valueOrEmpty("MACADDR")),
                    bounded(n.valueOrEmpty("STATUS")), bounded(n.valueOrEmpty("TYPE"))));
        }
        return out;
    }

    private static List<Inventory.Software> software(XmlNode content) {
        List<XmlNode> sections = content.list("SOFTWARES");
        List<Inventory.Software> out = new ArrayList<>(sections.size());
        for (XmlNode s : sections) {
            String name = bounded(s.valueOrEmpty("NAME"));
            if (name.isEmpty()) {
                continue;
            }
            out.add(new Inventory.Software(name, bounded(s.valueOrEmpty("VERSION")),
                    bounded(s.valueOrEmpty("PUBLISHER")), bounded(s.valueOrEmpty("ARCHITECTURE"))));
        }
        return out;
    }

    private static List<String> history(XmlNode content) {
        List<String> out = new ArrayList<>();
        content.path("DOWNLOAD", "HISTORY").ifPresent(h -> {
            for (XmlNode p : h.list("PACKAGE")) {
                String id = p.valueOrEmpty("ID");
                if (id.isEmpty() || id.length() > MAX_PACKAGE_ID || !id.chars().allMatch(InventoryReader::isAsciiDigit)) {
                    log.debug("Ignoring history entry with a package ID that is not one: {}", DeviceIds.quote(id));
                    continue;
                }
                if (!out.contains(id)) {
                    out.add(id);
                }
            }
        });
        return out;
    }

    /** §2.3: at CONTENT/OLD_DEVICEID, and (Windows quirk) at CONTENT/DOWNLOAD/HISTORY/OLD_DEVICEID. */
    private static Optional<String> oldDeviceId(XmlNode content) {
        Optional<String> old = content.value("OLD_DEVICEID")
                .or(() -> content.path("DOWNLOAD", "HISTORY").flatMap(h -> h.value("OLD_DEVICEID")));
        return old.filter(DeviceIds::isValid);
    }

    /** Not {@link Character#isDigit}: that also takes Arabic-Indic, full-width and other digits. */
    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static String value(Optional<XmlNode> section, String key) {
        return section.map(s -> bounded(s.valueOrEmpty(key))).orElse("");
    }

    private static String bounded(String value) {
        String v = value.strip();
        return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE);
    }
}
