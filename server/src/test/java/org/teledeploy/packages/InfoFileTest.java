package org.teledeploy.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The info file bytes of shared/ocs-protocol.md §4.5, escaping, and reading OCS's files back. */
class InfoFileTest {

    @Test
    void executeInfoIsByteForByteTheOcsLayout() {
        InfoFile info = new InfoFile("1709630000", 5, PackageAction.EXECUTE, "5d41402abc4b2a76b9719d911017c592",
                FragmentProtocol.HTTP, 3, DigestAlgorithm.MD5, "msiexec /i application.msi /qn", Notification.NONE);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<DOWNLOAD ID=\"1709630000\" PRI=\"5\" ACT=\"EXECUTE\" DIGEST=\"5d41402abc4b2a76b9719d911017c592\" "
                + "PROTO=\"HTTP\" FRAGS=\"3\" DIGEST_ALGO=\"MD5\" DIGEST_ENCODE=\"Hexa\" "
                + "COMMAND=\"msiexec /i application.msi /qn\" NOTIFY_USER=\"0\" NOTIFY_TEXT=\"\" NOTIFY_COUNTDOWN=\"\" "
                + "NOTIFY_CAN_ABORT=\"0\" NOTIFY_CAN_DELAY=\"0\" NEED_DONE_ACTION=\"0\" NEED_DONE_ACTION_TEXT=\"\" "
                + "GARDEFOU=\"rien\" />\n", new String(info.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void storeUsesPathAndLaunchUsesName() {
        String store = text(new InfoFile("1", 0, PackageAction.STORE, "", FragmentProtocol.HTTPS, 0,
                DigestAlgorithm.SHA1, "/tmp/target", Notification.NONE));
        assertTrue(store.contains(" DIGEST_ENCODE=\"Hexa\" PATH=\"/tmp/target\" NOTIFY_USER=\"0\" "), store);
        assertTrue(store.contains(" PROTO=\"HTTPS\" FRAGS=\"0\" DIGEST_ALGO=\"SHA1\" "), store);
        String launch = text(new InfoFile("1", 0, PackageAction.LAUNCH, "", FragmentProtocol.HTTP, 0,
                DigestAlgorithm.MD5, "setup.sh --quiet", Notification.NONE));
        assertTrue(launch.contains(" NAME=\"setup.sh --quiet\" "), launch);
    }

    @Test
    void valuesAreEscapedAndNotificationIsWritten() {
        Notification n = new Notification("Install \"Tools\" & <reboot>\nnow", OptionalInt.of(60), true, false,
                "Done: é");
        String xml = text(new InfoFile("1", 2, PackageAction.EXECUTE, "", FragmentProtocol.HTTP, 0,
                DigestAlgorithm.MD5, "a && b > c", n));
        assertTrue(xml.contains("COMMAND=\"a &amp;&amp; b &gt; c\""), xml);
        assertTrue(xml.contains("NOTIFY_USER=\"1\" NOTIFY_TEXT=\"Install &quot;Tools&quot; &amp; &lt;reboot&gt;&#10;now\" "
                + "NOTIFY_COUNTDOWN=\"60\" NOTIFY_CAN_ABORT=\"1\" NOTIFY_CAN_DELAY=\"0\" NEED_DONE_ACTION=\"1\" "
                + "NEED_DONE_ACTION_TEXT=\"Done: é\""), xml);
    }

    @Test
    void writtenFilesReadBackEqual() {
        Notification n = new Notification("Go & see", OptionalInt.of(30), false, true, "ok");
        InfoFile info = new InfoFile("1764000000", 7, PackageAction.LAUNCH, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
                FragmentProtocol.HTTPS, 12, DigestAlgorithm.SHA1, "run.sh now", n);
        assertEquals(info, InfoFile.parse(info.toBytes()));
    }

    @Test
    void readsAnOcsWrittenFile() {
        byte[] ocs = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DOWNLOAD ID=\"1795604494\" PRI=\"5\" ACT=\"STORE\" "
                + "DIGEST=\"24c2373267c5ec4dea8f4d656ffe7bd7\" PROTO=\"HTTP\" FRAGS=\"1\" DIGEST_ALGO=\"MD5\" "
                + "DIGEST_ENCODE=\"Hexa\" PATH=\"/tmp/target\" NOTIFY_USER=\"0\" NOTIFY_TEXT=\"\" NOTIFY_COUNTDOWN=\"\" "
                + "NOTIFY_CAN_ABORT=\"0\" NOTIFY_CAN_DELAY=\"0\" NEED_DONE_ACTION=\"0\" NEED_DONE_ACTION_TEXT=\"\" "
                + "GARDEFOU=\"rien\" />\n").getBytes(StandardCharsets.UTF_8);
        InfoFile info = InfoFile.parse(ocs);
        assertEquals("1795604494", info.id());
        assertEquals(PackageAction.STORE, info.action());
        assertEquals("/tmp/target", info.actionParameter());
        assertEquals(1, info.fragments());
        assertEquals(Notification.NONE, info.notification());
    }

    @Test
    void badInfoFilesSayWhatIsWrong() {
        assertEquals("ID: 12a (expected: digits only, agents skip other IDs)", parseError("ID=\"12a\" PRI=\"5\" ACT=\"STORE\" FRAGS=\"0\""));
        assertEquals("PRI: 11 (expected: 0 to 10)", parseError("ID=\"1\" PRI=\"11\" ACT=\"STORE\" FRAGS=\"0\""));
        assertEquals("PRI: missing (expected: a value in the info file)", parseError("ID=\"1\" ACT=\"STORE\" FRAGS=\"0\""));
        assertEquals("ACT: RUN (expected: LAUNCH, EXECUTE or STORE)", parseError("ID=\"1\" PRI=\"1\" ACT=\"RUN\" FRAGS=\"0\""));
        assertEquals("DIGEST_ALGO: SHA256 (expected: MD5 or SHA1, upper case)", parseError("ID=\"1\" PRI=\"1\" ACT=\"STORE\" "
                + "FRAGS=\"1\" DIGEST_ALGO=\"SHA256\" DIGEST=\"x\" PROTO=\"HTTP\""));
        assertEquals("DIGEST: ABC (expected: 32 lower-case hex digits)", parseError("ID=\"1\" PRI=\"1\" ACT=\"STORE\" "
                + "FRAGS=\"1\" DIGEST_ALGO=\"MD5\" DIGEST_ENCODE=\"Hexa\" DIGEST=\"ABC\" PROTO=\"HTTP\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InfoFile.parse("<!DOCTYPE x [<!ENTITY a \"b\">]><DOWNLOAD ID=\"1\"/>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("info: invalid XML"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> InfoFile.parse("<REPLY/>".getBytes(StandardCharsets.UTF_8)));
        assertEquals("info: root element REPLY (expected: DOWNLOAD)", e.getMessage());
    }

    private static String parseError(String attributes) {
        return assertThrows(IllegalArgumentException.class,
                () -> InfoFile.parse(("<DOWNLOAD " + attributes + " />").getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    private static String text(InfoFile info) {
        return new String(info.toBytes(), StandardCharsets.UTF_8);
    }
}
