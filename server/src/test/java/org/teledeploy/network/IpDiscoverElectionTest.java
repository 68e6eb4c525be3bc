package org.teledeploy.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.teledeploy.network.Election.Candidate;
import org.teledeploy.network.Election.Policy;
import org.teledeploy.network.Election.Rules;

/**
 * Pins {@link Election}, the pure rules of who discovers a subnet (OCS {@code Server/Capacities/Ipdiscover.pm}):
 * seat count, preference (most frequent contact, then most contacts, then oldest, then id), stability with
 * IPDISCOVER_BETTER_THRESHOLD, forced and forbidden devices, IPDISCOVER_MAX_ALIVE, the OCS postponement (more than
 * two contacts and a known rhythm), the electable agents, one seat per device, and the two rules that come from the
 * real agents (a Unix agent only on its primary subnet; a device that sent no scan waits).
 */
class IpDiscoverElectionTest {

    private static final long DAY = 86_400_000L;
    private static final long NOW = 1_780_000_000_000L;
    private static final String UNIX = "OCS-NG_unified_unix_agent_v2.10.0";
    private static final String WINDOWS = "OCS-NG_WINDOWS_AGENT_v2.11.0.1";
    private static final Rules TWO = new Rules(2, 14 * DAY, 1.0, false);

    /** An automatic Unix candidate on its primary subnet: 10 contacts, inventoried an hour ago. */
    private static Candidate device(long id, double quality) {
        return new Candidate(id, UNIX, 10, quality, NOW - DAY / 24, NOW - 100 * DAY, Policy.AUTO, false, true, true,
                false, false, 0);
    }

    private static Candidate with(Candidate c, String field, Object value) {
        return new Candidate(c.id(),
                field.equals("userAgent") ? (String) value : c.userAgent(),
                field.equals("contacts") ? (Integer) value : c.contacts(),
                c.quality(),
                field.equals("lastInventory") ? (Long) value : c.lastInventory(),
                field.equals("firstContact") ? (Long) value : c.firstContact(),
                field.equals("policy") ? (Policy) value : c.policy(),
                field.equals("forcedHere") ? (Boolean) value : c.forcedHere(),
                field.equals("onSubnet") ? (Boolean) value : c.onSubnet(),
                field.equals("primary") ? (Boolean) value : c.primary(),
                field.equals("electedHere") ? (Boolean) value : c.electedHere(),
                field.equals("electedElsewhere") ? (Boolean) value : c.electedElsewhere(),
                field.equals("unableSince") ? (Long) value : c.unableSince());
    }

    private static List<Long> ids(List<Candidate> elected) {
        List<Long> out = new ArrayList<>();
        elected.forEach(c -> out.add(c.id()));
        return out;
    }

    private static List<Long> decide(Rules rules, Candidate... candidates) {
        return ids(Election.decide(List.of(candidates), rules, NOW));
    }

    @Test
    void atMostIpdiscoverSeatsGoToTheDevicesThatCallInMostOften() {
        assertEquals(List.of(3L, 1L), decide(TWO, device(1, 0.9), device(2, 1.5), device(3, 0.2), device(4, 3.0)));
        assertEquals(List.of(3L), decide(new Rules(1, 14 * DAY, 1.0, false), device(1, 0.9), device(3, 0.2)));
        assertEquals(List.of(1L), decide(TWO, device(1, 0.9)), "fewer candidates than seats: all of them");
    }

    @Test
    void tiesGoToTheLongestLivedThenTheOldestThenTheLowestId() {
        Candidate fewContacts = with(device(1, 1.0), "contacts", 4);
        Candidate manyContacts = with(device(2, 1.0), "contacts", 40);
        Candidate young = with(device(3, 1.0), "firstContact", NOW - DAY);
        Candidate old = device(4, 1.0);
        Candidate oldTwin = device(5, 1.0);
        Rules one = new Rules(1, 14 * DAY, 1.0, false);
        assertEquals(List.of(2L), decide(one, fewContacts, manyContacts));
        assertEquals(List.of(4L), decide(one, young, old));
        assertEquals(List.of(4L), decide(one, oldTwin, old));
    }

    @Test
    void ipdiscoverZeroElectsNobodyNotEvenForcedDevices() {
        Candidate forced = with(with(device(1, 1), "policy", Policy.FORCED), "forcedHere", true);
        assertEquals(List.of(), decide(new Rules(0, 14 * DAY, 1.0, false), forced, device(2, 0.1)));
    }

    @Test
    void forcedDevicesAreAlwaysElectedAndTakeSeats() {
        // Forced: a Windows mobile agent with one contact, inventoried long ago: none of the automatic rules apply.
        Candidate forced = new Candidate(9, "OCS-NG_Android_agent_v2.1", 1, 0, NOW - 300 * DAY, NOW - 300 * DAY,
                Policy.FORCED, true, false, false, false, false, 0);
        assertEquals(List.of(9L, 3L), decide(TWO, device(1, 0.9), device(3, 0.2), forced));
        Candidate forcedToo = with(with(device(8, 5.0), "policy", Policy.FORCED), "forcedHere", true);
        assertEquals(List.of(9L, 8L), decide(TWO, device(3, 0.2), forced, forcedToo), "forced devices fill every seat");
        Candidate forcedElsewhere = with(device(7, 0.01), "policy", Policy.FORCED);
        assertEquals(List.of(3L, 1L), decide(TWO, device(1, 0.9), device(3, 0.2), forcedElsewhere),
                "forced for another subnet: not a candidate here");
        Candidate third = with(with(device(6, 9.0), "policy", Policy.FORCED), "forcedHere", true);
        assertEquals(3, decide(TWO, forced, forcedToo, third).size(), "more forced devices than seats: all of them");
    }

    @Test
    void forbiddenDevicesAreNeverElectedAndLeaveTheirSeat() {
        Candidate forbidden = with(with(device(1, 0.01), "policy", Policy.FORBIDDEN), "electedHere", true);
        assertEquals(List.of(2L), decide(TWO, forbidden, device(2, 1.0)));
    }

    @Test
    void aDeviceNotInventoriedForMaxAliveDaysIsNoCandidateAndLosesItsSeat() {
        Candidate stale = with(with(device(1, 0.01), "lastInventory", NOW - 14 * DAY - 1), "electedHere", true);
        Candidate limit = with(device(2, 0.5), "lastInventory", NOW - 14 * DAY);
        Candidate never = with(device(3, 0.01), "lastInventory", 0L);
        assertEquals(List.of(2L, 4L), decide(TWO, stale, limit, never, device(4, 2.0)));
    }

    @Test
    void ocsPostponesTheElectionUntilMoreThanTwoContactsAndAKnownRhythm() {
        Candidate two = with(device(1, 0.5), "contacts", 2);
        Candidate three = with(device(2, 3.0), "contacts", 3);
        Candidate noRhythm = device(3, 0.0);
        assertEquals(List.of(2L), decide(TWO, two, three, noRhythm));
        assertEquals(List.of(3L, 1L), decide(new Rules(2, 14 * DAY, 1.0, true), two, three, noRhythm),
                "IPDISCOVER_NO_POSTPONE=1");
    }

    @Test
    void onlyTheAgentsOcsElectsAreAutomaticCandidates() {
        Candidate windows = with(with(device(1, 1.0), "userAgent", WINDOWS), "primary", false);
        Candidate oldWindows = with(device(2, 1.0), "userAgent", "OCS-NG_windows_client_v4062");
        Candidate fusion = with(device(3, 0.1), "userAgent", "FusionInventory-Agent_v2.6");
        Candidate android = with(device(4, 0.1), "userAgent", "OCS-NG_Android_agent_v2.1");
        Candidate unknown = with(device(5, 0.1), "userAgent", "");
        assertEquals(List.of(1L, 2L), decide(new Rules(5, 14 * DAY, 1, false), windows, oldWindows, fusion, android,
                unknown));
        assertTrue(Election.electableAgent(UNIX));
        assertFalse(Election.electableAgent("OCS-NG_unified_unix_agentX_v1"));
    }

    @Test
    void aUnixAgentIsACandidateOnlyOnItsPrimarySubnetBecauseThatIsWhatItScans() {
        // Backend/IpDiscover/IpDiscover.pm: "if ($network = $1)" assigns the default gateway, so the agent always
        // scans the interface of its default route. The Windows agent scans the subnet it is given.
        Candidate unixSecondary = with(device(1, 0.1), "primary", false);
        Candidate windowsSecondary = with(with(device(2, 0.5), "userAgent", WINDOWS), "primary", false);
        assertEquals(List.of(2L, 3L), decide(TWO, unixSecondary, windowsSecondary, device(3, 1.0)));
    }

    @Test
    void aDeviceElectedElsewhereOrOffTheSubnetIsNoCandidate() {
        Candidate elsewhere = with(device(1, 0.1), "electedElsewhere", true);
        Candidate movedAway = with(with(device(2, 0.1), "onSubnet", false), "electedHere", true);
        assertEquals(List.of(3L), decide(TWO, elsewhere, movedAway, device(3, 1.0)));
    }

    @Test
    void aHolderKeepsItsSeatUnlessAChallengerIsBetterByMoreThanTheThreshold() {
        Candidate holder = with(device(1, 2.0), "electedHere", true);
        Candidate slightlyBetter = device(2, 1.2);
        Rules one = new Rules(1, 14 * DAY, 1.0, false);
        assertEquals(List.of(1L), decide(one, holder, slightlyBetter), "0.8 day better: not enough");
        assertEquals(List.of(2L), decide(one, holder, device(2, 0.9)), "1.1 days better: replaced");
        assertEquals(List.of(2L), decide(new Rules(1, 14 * DAY, 0.5, false), holder, slightlyBetter));
        assertEquals(List.of(1L), decide(new Rules(1, 14 * DAY, 1.0, false), holder, device(2, 1.0)),
                "exactly the threshold: kept (OCS replaces only when the difference is greater)");
    }

    @Test
    void onlyTheWorstHoldersAreReplacedAndSurplusHoldersLeaveWhenSeatsShrink() {
        Candidate good = with(device(1, 0.5), "electedHere", true);
        Candidate bad = with(device(2, 4.0), "electedHere", true);
        assertEquals(List.of(1L, 3L), decide(TWO, good, bad, device(3, 0.6)), "the worst holder makes room");
        assertEquals(List.of(1L), decide(new Rules(1, 14 * DAY, 1.0, false), good, bad),
                "IPDISCOVER lowered to 1: the worse holder leaves");
        Candidate forced = with(with(device(9, 9.0), "policy", Policy.FORCED), "forcedHere", true);
        assertEquals(List.of(9L, 1L), decide(TWO, good, bad, forced), "a forced device takes a holder's seat");
    }

    @Test
    void aDeviceThatSentNoScanWaitsMaxAliveDaysBeforeItIsACandidateAgain() {
        Candidate recent = with(device(1, 0.1), "unableSince", NOW - DAY);
        Candidate longAgo = with(device(2, 0.2), "unableSince", NOW - 15 * DAY);
        assertEquals(List.of(2L, 3L), decide(TWO, recent, longAgo, device(3, 1.0)));
        Candidate forcedUnable = with(with(with(device(4, 0.1), "unableSince", NOW - DAY), "policy", Policy.FORCED),
                "forcedHere", true);
        assertEquals(List.of(4L), decide(new Rules(1, 14 * DAY, 1, false), forcedUnable, device(3, 0.01)),
                "a forced device keeps its seat");
    }
}
