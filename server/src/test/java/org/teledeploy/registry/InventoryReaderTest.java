package org.teledeploy.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.teledeploy.protocol.AgentXmlReader;
import org.teledeploy.protocol.XmlNode;
import org.teledeploy.testing.OcsClient;

/**
 * Pins {@link InventoryReader} (shared/ocs-protocol.md §2.3) on the inventory recorded from the real Debian agent
 * 2.10 (every field deployment targets on) and on synthetic sections: TAG from ACCOUNTINFO, ARCH fallback to
 * CPUS, user fallback, the package history in both XML::Simple forms with junk and duplicates, both
 * OLD_DEVICEID places, value bounds and the no-CONTENT case.
 */
class InventoryReaderTest {

    private static final AgentXmlReader XML = new AgentXmlReader(32);

    // ---- the real Debian agent 2.10 inventory -----------------------------------------------------------------

    @Test
    void realDebianAgentInventoryGivesTheTargetingFields() throws IOException {
        Inventory inv = realInventory();
        assertEquals("vm", inv.name());
        assertEquals("Debian GNU/Linux 12", inv.osName());
        assertEquals("12", inv.osVersion());
        assertEquals("Debian GNU/Linux 12 (bookworm)", inv.osComments());
        assertEquals("x86_64", inv.arch(), "no HARDWARE/ARCH from the Unix agent: taken from CPUS/CPUARCH");
        assertEquals("192.0.2.2", inv.ipAddress());
        assertEquals("WORKGROUP", inv.workgroup());
        assertEquals("", inv.userId(), "LASTLOGGEDUSER is empty in the recording");
        assertEquals("", inv.userDomain());
        assertEquals("", inv.tag(), "no ACCOUNTINFO");
        assertEquals("", inv.serial(), "the BIOS section is whitespace only");
        assertEquals("", inv.manufacturer());
        assertEquals(List.of(), inv.downloadHistory(), "HISTORY is whitespace only");
        assertEquals(Optional.empty(), inv.oldDeviceId(), "the Unix agent 2.10 never sends one");
    }

    @Test
    void realDebianAgentInventoryGivesEverySoftwareInOrder() throws IOException {
        List<Inventory.Software> software = realInventory().software();
        assertEquals(747, software.size());
        assertEquals(new Inventory.Software("adduser", "3.134", "", "all"), software.get(0));
    }

    @Test
    void realDebianAgentInventoryGivesEveryNetwork() throws IOException {
        List<Inventory.Network> networks = realInventory().networks();
        assertEquals(4, networks.size());
        assertEquals(List.of("ifb0", "ifb1", "eth0", "eth0"),
                networks.stream().map(Inventory.Network::description).toList());
        assertEquals(new Inventory.Network("eth0", "192.0.2.2", "255.255.255.0", "192.0.2.0", "192.0.2.1",
                "02:fc:00:00:00:01", "Up", "ethernet"), networks.get(2));
        assertEquals("02:fc:00:00:00:01", networks.get(3).macAddress());
        assertEquals("fe80::fc:ff:fe00:1", networks.get(3).ipAddress());
        assertEquals("", networks.get(0).ipAddress(), "a down interface without an address");
    }

    // ---- synthetic sections -----------------------------------------------------------------------------------

    @Test
    void tagComesFromTheTagAccountInfoAmongOthers() {
        Inventory inv = read("<ACCOUNTINFO><KEYNAME>ASSET</KEYNAME><KEYVALUE>A-17</KEYVALUE></ACCOUNTINFO>"
                + "<ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>paris</KEYVALUE></ACCOUNTINFO>"
                + "<ACCOUNTINFO><KEYNAME>OWNER</KEYNAME><KEYVALUE>ops</KEYVALUE></ACCOUNTINFO>");
        assertEquals("paris", inv.tag());
    }

    @Test
    void tagInAttributeFormAndSingleAccountInfoIsRead() {
        assertEquals("lyon", read("<ACCOUNTINFO KEYNAME=\"TAG\" KEYVALUE=\"lyon\"/>").tag());
    }

    @Test
    void tagKeyNameIsCaseSensitiveAndAbsentTagIsEmpty() {
        assertEquals("", read("<ACCOUNTINFO><KEYNAME>tag</KEYNAME><KEYVALUE>x</KEYVALUE></ACCOUNTINFO>").tag());
        assertEquals("", read("<ACCOUNTINFO><KEYNAME>TAG</KEYNAME></ACCOUNTINFO>").tag());
    }

    @Test
    void hardwareArchWinsOverCpus() {
        Inventory inv = read("<HARDWARE><NAME>pc</NAME><ARCH>64-bit</ARCH></HARDWARE>"
                + "<CPUS><CPUARCH>x86_64</CPUARCH></CPUS>");
        assertEquals("64-bit", inv.arch());
    }

    @Test
    void archFallsBackToTheFirstCpuThatHasOne() {
        Inventory inv = read("<HARDWARE><NAME>pc</NAME></HARDWARE><CPUS><CORES>2</CORES></CPUS>"
                + "<CPUS><CPUARCH>aarch64</CPUARCH></CPUS><CPUS><CPUARCH>x86_64</CPUARCH></CPUS>");
        assertEquals("aarch64", inv.arch());
        assertEquals("", read("<HARDWARE><NAME>pc</NAME></HARDWARE>").arch());
    }

    @Test
    void userIdThenLastLoggedUser() {
        assertEquals("alice", read("<HARDWARE><USERID>alice</USERID><LASTLOGGEDUSER>bob</LASTLOGGEDUSER></HARDWARE>")
                .userId());
        assertEquals("bob", read("<HARDWARE><USERID></USERID><LASTLOGGEDUSER>bob</LASTLOGGEDUSER></HARDWARE>")
                .userId());
        assertEquals("", read("<HARDWARE><NAME>pc</NAME></HARDWARE>").userId());
    }

    @Test
    void windowsStyleHardwareAndBiosFieldsAreRead() {
        Inventory inv = read("<HARDWARE><NAME>PC042</NAME><OSNAME>Microsoft Windows 11 Pro</OSNAME>"
                + "<OSVERSION>10.0.22631</OSVERSION><WORKGROUP>CORP</WORKGROUP><USERDOMAIN>CORP</USERDOMAIN>"
                + "<UUID>4C4C4544-0042</UUID><IPADDR>10.0.0.42</IPADDR></HARDWARE>"
                + "<BIOS><SSN>ABC123</SSN><SMANUFACTURER>Dell Inc.</SMANUFACTURER><SMODEL>Latitude 7440</SMODEL></BIOS>");
        assertEquals("PC042", inv.name());
        assertEquals("Microsoft Windows 11 Pro", inv.osName());
        assertEquals("10.0.22631", inv.osVersion());
        assertEquals("CORP", inv.workgroup());
        assertEquals("CORP", inv.userDomain());
        assertEquals("4C4C4544-0042", inv.uuid());
        assertEquals("10.0.0.42", inv.ipAddress());
        assertEquals("ABC123", inv.serial());
        assertEquals("Dell Inc.", inv.manufacturer());
        assertEquals("Latitude 7440", inv.model());
    }

    @Test
    void historyWithOnePackage() {
        assertEquals(List.of("1709630000"),
                read("<DOWNLOAD><HISTORY><PACKAGE ID=\"1709630000\"/></HISTORY></DOWNLOAD>").downloadHistory());
    }

    @Test
    void historyWithSeveralPackagesInAttributeAndElementForms() {
        Inventory inv = read("<DOWNLOAD><HISTORY><PACKAGE ID=\"1709630000\"/><PACKAGE><ID>1709712345</ID></PACKAGE>"
                + "<PACKAGE ID=\"1710000000\"></PACKAGE></HISTORY></DOWNLOAD>");
        assertEquals(List.of("1709630000", "1709712345", "1710000000"), inv.downloadHistory());
    }

    @Test
    void historyIgnoresIdsThatAreNotPackageIds() {
        Inventory inv = read("<DOWNLOAD><HISTORY><PACKAGE ID=\"abc\"/><PACKAGE ID=\"12a\"/><PACKAGE ID=\"-5\"/>"
                + "<PACKAGE ID=\"1.5\"/><PACKAGE ID=\"\"/><PACKAGE/><PACKAGE NAME=\"x\"/>"
                + "<PACKAGE ID=\"" + "9".repeat(33) + "\"/><PACKAGE ID=\"" + "9".repeat(32) + "\"/>"
                + "<PACKAGE ID=\"17\"/></HISTORY></DOWNLOAD>");
        assertEquals(List.of("9".repeat(32), "17"), inv.downloadHistory());
    }

    @Test
    void historyIgnoresNonAsciiDigits() {
        // Package IDs are ASCII decimal digits (§4.1); Character.isDigit would also take Arabic-Indic or
        // full-width digits, which name no package.
        Inventory inv = read("<DOWNLOAD><HISTORY><PACKAGE ID=\"\u0661\u0662\u0663\"/><PACKAGE ID=\"\uff11\uff12\"/>"
                + "<PACKAGE ID=\"1709630000\"/></HISTORY></DOWNLOAD>");
        assertEquals(List.of("1709630000"), inv.downloadHistory());
    }

    @Test
    void historyDropsDuplicatesKeepingFirstOrder() {
        Inventory inv = read("<DOWNLOAD><HISTORY><PACKAGE ID=\"2\"/><PACKAGE ID=\"1\"/><PACKAGE><ID>2</ID></PACKAGE>"
                + "<PACKAGE ID=\"1\"/><PACKAGE ID=\"3\"/></HISTORY></DOWNLOAD>");
        assertEquals(List.of("2", "1", "3"), inv.downloadHistory());
    }

    @Test
    void oldDeviceIdAtContent() {
        assertEquals(Optional.of("oldname-2023-01-01-00-00-00"),
                read("<OLD_DEVICEID>oldname-2023-01-01-00-00-00</OLD_DEVICEID>").oldDeviceId());
    }

    @Test
    void oldDeviceIdInsideTheDownloadHistoryWindowsQuirk() {
        Inventory inv = read("<DOWNLOAD><HISTORY><PACKAGE ID=\"5\"/><OLD_DEVICEID>oldname-2023-01-01-00-00-00"
                + "</OLD_DEVICEID></HISTORY></DOWNLOAD>");
        assertEquals(Optional.of("oldname-2023-01-01-00-00-00"), inv.oldDeviceId());
        assertEquals(List.of("5"), inv.downloadHistory());
    }

    @Test
    void oldDeviceIdAtContentWinsOverTheHistoryOne() {
        Inventory inv = read("<OLD_DEVICEID>first-2023-01-01-00-00-00</OLD_DEVICEID><DOWNLOAD><HISTORY>"
                + "<OLD_DEVICEID>second-2023-01-01-00-00-00</OLD_DEVICEID></HISTORY></DOWNLOAD>");
        assertEquals(Optional.of("first-2023-01-01-00-00-00"), inv.oldDeviceId());
    }

    @Test
    void invalidOldDeviceIdIsIgnored() {
        assertEquals(Optional.empty(), read("<OLD_DEVICEID>oldname</OLD_DEVICEID>").oldDeviceId());
        assertEquals(Optional.empty(), read("<OLD_DEVICEID>x'; DROP TABLE devices;--</OLD_DEVICEID>").oldDeviceId());
        assertEquals(Optional.empty(), read("<OLD_DEVICEID></OLD_DEVICEID>").oldDeviceId());
        assertEquals(Optional.empty(), read("<DOWNLOAD><HISTORY><OLD_DEVICEID>bad</OLD_DEVICEID></HISTORY></DOWNLOAD>")
                .oldDeviceId());
    }

    @Test
    void longValuesAreCutToMaxValue() {
        String huge = "n".repeat(5000);
        Inventory inv = read("<HARDWARE><NAME>" + huge + "</NAME></HARDWARE>"
                + "<SOFTWARES><NAME>" + huge + "</NAME><VERSION>1</VERSION></SOFTWARES>"
                + "<ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>" + huge + "</KEYVALUE></ACCOUNTINFO>"
                + "<NETWORKS><MACADDR>" + huge + "</MACADDR></NETWORKS>");
        assertEquals(1024, InventoryReader.MAX_VALUE);
        assertEquals("n".repeat(InventoryReader.MAX_VALUE), inv.name());
        assertEquals("n".repeat(InventoryReader.MAX_VALUE), inv.software().get(0).name());
        assertEquals("n".repeat(InventoryReader.MAX_VALUE), inv.tag());
        assertEquals("n".repeat(InventoryReader.MAX_VALUE), inv.networks().get(0).macAddress());
        assertEquals("n".repeat(InventoryReader.MAX_VALUE), read("<HARDWARE><NAME>" + "n".repeat(1024)
                + "</NAME></HARDWARE>").name(), "exactly MAX_VALUE is kept whole");
    }

    @Test
    void valuesAreStripped() {
        Inventory inv = read("<HARDWARE><NAME>  web01 \n</NAME></HARDWARE><SOFTWARES><NAME> vim </NAME>"
                + "<VERSION> 9.0 </VERSION></SOFTWARES>");
        assertEquals("web01", inv.name());
        assertEquals(new Inventory.Software("vim", "9.0", "", ""), inv.software().get(0));
    }

    @Test
    void softwareWithoutNameIsSkipped() {
        Inventory inv = read("<SOFTWARES><VERSION>1.0</VERSION></SOFTWARES>"
                + "<SOFTWARES><NAME>  </NAME><VERSION>2.0</VERSION></SOFTWARES>"
                + "<SOFTWARES><NAME>curl</NAME><VERSION>7.88</VERSION><PUBLISHER>Debian</PUBLISHER>"
                + "<ARCHITECTURE>amd64</ARCHITECTURE></SOFTWARES>");
        assertEquals(List.of(new Inventory.Software("curl", "7.88", "Debian", "amd64")), inv.software());
    }

    @Test
    void noContentAtAllIsAnEmptyInventory() {
        Inventory empty = InventoryReader.read(Optional.empty());
        assertEquals(new Inventory("", "", "", "", "", "", "", "", "", "", "", "", "", "",
                List.of(), List.of(), List.of(), Optional.empty()), empty);
        XmlNode root = XML.parse("<REQUEST><CONTENT/><QUERY>INVENTORY</QUERY></REQUEST>".getBytes(StandardCharsets.UTF_8));
        assertEquals(empty, InventoryReader.read(root.child("CONTENT")));
    }

    @Test
    void contentWithoutKnownSectionsIsEmptyToo() {
        Inventory inv = read("<DRIVES><TYPE>/</TYPE></DRIVES>");
        assertEquals(InventoryReader.read(Optional.empty()), inv);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Inventory realInventory() throws IOException {
        byte[] compressed;
        try (InputStream in = InventoryReaderTest.class.getResourceAsStream("/agent-2.10/inventory.zlib")) {
            compressed = in.readAllBytes();
        }
        XmlNode root = XML.parse(OcsClient.inflate(compressed));
        assertTrue(root.child("CONTENT").isPresent());
        return InventoryReader.read(root.child("CONTENT"));
    }

    private static Inventory read(String contentXml) {
        XmlNode root = XML.parse(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST><CONTENT>" + contentXml
                + "</CONTENT><DEVICEID>web01-2024-03-05-09-12-44</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>")
                .getBytes(StandardCharsets.UTF_8));
        return InventoryReader.read(root.child("CONTENT"));
    }
}
