package org.teledeploy.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A spec that exists works on the agents it targets; every refusal says what to fix, in one shape. */
class PackageSpecTest {

    private static final PackageSpec BASE = PackageSpec.of("tools", TargetOs.LINUX, PackageAction.EXECUTE, "./install.sh");

    @Test
    void defaultsAreOcsDefaults() {
        assertEquals(5, BASE.priority());
        assertEquals(FragmentProtocol.HTTP, BASE.protocol());
        assertEquals(DigestAlgorithm.MD5, BASE.digest());
        assertEquals(PostCommand.NONE, BASE.postCommand());
    }

    @Test
    void refusalsNameTheFieldAndWhatIsExpected() {
        assertMessage("priority: 11 (expected: 0 to 10)", () -> BASE.withPriority(11));
        assertMessage("priority: -1 (expected: 0 to 10)", () -> BASE.withPriority(-1));
        assertMessage("name: empty (expected: a name for admins)", () -> BASE.withName("  "));
        assertMessage("command: empty (expected: the COMMAND of a EXECUTE package)",
                () -> PackageSpec.of("x", TargetOs.LINUX, PackageAction.EXECUTE, ""));
        assertMessage("path: empty (expected: the PATH of a STORE package)",
                () -> PackageSpec.of("x", TargetOs.LINUX, PackageAction.STORE, " "));
        assertMessage("command: run-me.sh (expected: a file name without '-': the Unix agent cuts the name at the"
                + " first '-' and fails with ERR_EXECUTE)",
                () -> PackageSpec.of("x", TargetOs.LINUX, PackageAction.LAUNCH, "run-me.sh --fast"));
        assertMessage("command: 256 characters (expected: at most 255; the Windows agent drops longer ones)",
                () -> PackageSpec.of("x", TargetOs.WINDOWS, PackageAction.EXECUTE, "a".repeat(256)));
        assertMessage("name: control character U+0007 at 1 (expected: printable text)", () -> BASE.withName("a\u0007"));
        assertMessage("notifyText: empty (expected: a message when the user may abort, delay or sees a countdown)",
                () -> new Notification("", OptionalInt.empty(), true, false, ""));
        assertMessage("os: beos (expected: windows, linux or mac)", () -> TargetOs.parse("beos"));
        assertMessage("action: run (expected: launch, execute or store)", () -> PackageAction.parse("run"));
        assertMessage("digest: sha256 (expected: md5 or sha1)", () -> DigestAlgorithm.parse("sha256"));
        assertMessage("postCommand: none! (expected: none, reboot or shutdown)", () -> PostCommand.parse("none!"));
    }

    @Test
    void windowsLaunchMayContainADash() {
        assertEquals("setup-x64.exe", PackageSpec.of("x", TargetOs.WINDOWS, PackageAction.LAUNCH, "setup-x64.exe")
                .actionParameter());
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
