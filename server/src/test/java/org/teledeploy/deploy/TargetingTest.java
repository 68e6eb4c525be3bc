package org.teledeploy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.teledeploy.registry.DeviceSearch;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/** Selecting devices: searches over the registry, static and dynamic groups, and what group assignments do. */
class TargetingTest {

    private static final String WIN = "pc1-2024-03-05-09-12-44";
    private static final String DEB = "srv1-2024-03-05-09-12-44";
    private static final String UBU = "lab7-2024-03-05-09-12-44";
    private static final String P = "1764000001";

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create();

    @Test
    void searchesSelectByOsTagAddressSoftwareAndName() throws Exception {
        long win = register(WIN, "pc1", "Microsoft Windows 11 Pro", "paris", "10.1.2.3", 2);
        long deb = register(DEB, "srv1", "Debian GNU/Linux 12", null, "192.0.2.10", 3);
        long ubu = register(UBU, "lab7", "Ubuntu 24.04 LTS", "paris", "10.1.9.9", 1);
        assertEquals(List.of(win), select("os ~ windows"));
        assertEquals(List.of(deb, ubu), select("os ~ linux or os ~ ubuntu"));
        assertEquals(List.of(win, ubu), select("tag = PARIS"));
        assertEquals(List.of(ubu), select("tag = paris and os !~ windows"));
        assertEquals(List.of(win, ubu), select("ip in 10.1.0.0/16"));
        assertEquals(List.of(deb), select("ip = 192.0.2.10"));
        assertEquals(List.of(win, deb), select("software ~ pkg1"));
        assertEquals(List.of(deb), select("software = pkg2"));
        assertEquals(List.of(ubu), select("name ~ \"lab\""));
        assertEquals(List.of(win, deb, ubu), select("mac ~ 02:00"));
        assertEquals(List.of(), select("name = \"x' OR 1=1 --\""), "values are parameters, never SQL");
        assertEquals(List.of(), select("name ~ %"), "% is a literal, not a wildcard");
        // The CLI's compact form: no spaces, ',' for and, ip= with a CIDR.
        assertEquals(List.of(win), select("os~windows,tag=PARIS"));
        assertEquals(List.of(win, ubu), select("ip=10.1.0.0/16"));
        assertEquals(List.of(ubu), select("name~lab,ip=10.1.0.0/16"));
    }

    @Test
    void badSearchesAreRefusedWithAPreciseMessage() {
        assertMessage("os", "search: 'os' near 'os' (expected: field op value)");
        assertMessage("colour = red", "search: unknown field 'colour' (expected: one of deviceid, name, os,");
        assertMessage("os > 3", "search: 'os > 3' near '>' (expected: =, !=, ~, !~ (or 'in' for ip))");
        assertMessage("os ~ windows and", "search: 'os ~ windows and' near 'end' (expected: field op value)");
        assertMessage("os ~ windows xor tag = a", "search: 'os ~ windows xor tag = a' near 'xor' (expected: and / , / or)");
        assertMessage("os~windows,", "search: 'os~windows,' near 'end' (expected: field op value)");
        assertMessage("name = \"open", "search: unterminated quote at position 7");
        assertMessage("ip in 10.0.0.0/33", "cidr: 10.0.0.0/33 (expected: a.b.c.d/0-32)");
        assertMessage(" ", "search: empty (expected: field op value, e.g. os ~ windows)");
    }

    @Test
    void dynamicGroupGivesItsPackagesToMachinesThatRegisterLater() throws Exception {
        long deb = register(DEB, "srv1", "Debian GNU/Linux 12", null, "192.0.2.10", 1);
        register(WIN, "pc1", "Microsoft Windows 11 Pro", null, "10.1.2.3", 1);
        activate(P);
        server.server().groups().create("linux", Optional.of(DeviceSearch.parse("os ~ linux or os ~ ubuntu"))).join();
        Deployments.Assigned assigned = server.server().groups().assign(P, "linux", AssignOptions.DEFAULT).join();
        assertEquals(new Deployments.Assigned(1, 0), assigned);
        assertEquals(List.of(deb), server.server().groups().members("linux").join());

        long ubu = register(UBU, "lab7", "Ubuntu 24.04 LTS", null, "10.1.9.9", 1);
        assertEquals("", state(UBU), "a machine that registers later is assigned by its first inventory");
        assertTrue(prolog(UBU).contains("ID=\"" + P + "\""));
        assertEquals(null, state(WIN), "non-members are not assigned");
        assertEquals(List.of(deb, ubu), server.server().groups().members("linux").join());

        server.server().groups().exclude("linux", List.of(deb)).join();
        assertEquals(List.of(ubu), server.server().groups().members("linux").join(), "exclusion beats the search");
    }

    @Test
    void staticGroupMembersGetThePackageIncludingLaterOnes() throws Exception {
        long win = register(WIN, "pc1", "Microsoft Windows 11 Pro", null, "10.1.2.3", 1);
        long deb = register(DEB, "srv1", "Debian GNU/Linux 12", null, "192.0.2.10", 1);
        activate(P);
        server.server().groups().create("pilot", Optional.empty()).join();
        server.server().groups().addMembers("pilot", List.of(win)).join();
        assertEquals(new Deployments.Assigned(1, 0), server.server().groups().assign(P, "pilot", AssignOptions.DEFAULT).join());
        assertEquals("", state(WIN));
        assertEquals(null, state(DEB));
        server.server().groups().addMembers("pilot", List.of(deb)).join();
        assertEquals("", state(DEB), "a member added later gets the group's packages");

        prolog(WIN);
        server.server().flushWrites();
        PackageStatistics pilot = server.server().queries().groupStatistics("pilot").join().get(P);
        assertEquals(java.util.Map.of("", 1, "NOTIFIED", 1), pilot.byState());
        assertEquals(new Deployments.Assigned(1, 2), server.server().queries().dryRun(P, List.of(win, deb,
                register(UBU, "lab7", "Ubuntu", null, "10.0.0.1", 1))).join(), "dry run: 1 new, 2 already assigned");
        assertEquals(1, server.server().groups().unassign(P, "pilot", true).join(), "only the waiting one");
        assertEquals("NOTIFIED", state(WIN));
        assertEquals(null, state(DEB));
        CompletionException duplicate = assertThrows(CompletionException.class,
                () -> server.server().groups().create("pilot", Optional.empty()).join());
        assertEquals("group pilot already exists", duplicate.getCause().getMessage());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private long register(String deviceId, String name, String os, String tag, String ip, int software) throws Exception {
        String xml = OcsClient.inventory(deviceId, name, os, software, tag).replace("192.0.2.7", ip);
        assertEquals(200, server.client().post(xml).status());
        return server.server().registry().find(deviceId).orElseThrow().id();
    }

    private List<Long> select(String expression) {
        return server.server().groups().select(DeviceSearch.parse(expression)).join();
    }

    private static void assertMessage(String expression, String messageStart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSearch.parse(expression));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    }

    private void activate(String packageId) {
        var locations = server.server().downloadLocations();
        server.server().deployments().activate(packageId, 1, locations.infoLocation(), locations.fragmentLocation()).join();
    }

    private String prolog(String deviceId) throws Exception {
        return server.client().post("/ocsinventory", OcsClient.zlib(OcsClient.prolog(deviceId)
                .getBytes(StandardCharsets.UTF_8)), "OCS-NG_WINDOWS_AGENT_v2.11.0.1").inflated();
    }

    private String state(String deviceId) {
        server.server().flushWrites();
        return server.server().queries().state(deviceId, P).join();
    }
}
