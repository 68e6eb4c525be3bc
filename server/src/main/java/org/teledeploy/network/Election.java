package org.teledeploy.network;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Who discovers one subnet: a pure function over the subnet's candidate devices, so every rule has a unit test.
 * The rules are OCS's ({@code Server/Capacities/Ipdiscover.pm}), decided for the whole subnet at once instead of
 * one device per inventory:
 * <ol>
 *   <li>IPDISCOVER = 0: nobody, not even forced devices (OCS returns before anything).</li>
 *   <li>Forced devices (the admin's choice for this subnet, OCS {@code IPD_MAN}) are always elected and take
 *       seats; forbidden ones ({@code IPD_NEVER}) never are.</li>
 *   <li>The other seats, up to IPDISCOVER per subnet, go to automatic candidates: an agent OCS elects
 *       ({@code OCS-NG_unified_unix_agent}, {@code OCS-NG_windows_client}, {@code OCS-NG_WINDOWS_AGENT}), with
 *       more than two contacts and a known contact rhythm (OCS postpones the election until FIDELITY &gt; 2 and
 *       QUALITY &ne; 0, unless IPDISCOVER_NO_POSTPONE), inventoried within IPDISCOVER_MAX_ALIVE days, on this
 *       subnet and not elected for another one (a device scans one subnet).</li>
 *   <li>Preference: the device that calls in most often (lowest QUALITY, the average days between contacts),
 *       then the longest-lived (most contacts, then oldest), then the lowest id, for a stable order.</li>
 *   <li>Stability: an elected device keeps its seat while it stays a candidate, and is replaced only by one that
 *       is better by more than IPDISCOVER_BETTER_THRESHOLD days; a device that stopped being a candidate (not
 *       inventoried for IPDISCOVER_MAX_ALIVE days, moved away, forbidden) loses it at once.</li>
 * </ol>
 * Two additions, both because the real agents differ from what OCS assumes: a Unix agent is a candidate only on
 * its primary subnet (it scans its default route's interface whatever subnet it is given), and a device that was
 * asked to scan but sent no result is not a candidate again for IPDISCOVER_MAX_ALIVE days (OCS drops it, then
 * re-elects it at its next inventory, for ever).
 */
public final class Election {

    /** The admin's choice for a device (OCS devices.IVALUE of IPDISCOVER: 2 manual, 0 never, none = automatic). */
    public enum Policy { AUTO, FORCED, FORBIDDEN }

    /** The agents OCS elects automatically (its {@code @ipdiscover_agents}), by User-Agent name. */
    private static final List<String> ELECTABLE_AGENTS = List.of(
            "OCS-NG_unified_unix_agent", "OCS-NG_windows_client", "OCS-NG_WINDOWS_AGENT");
    private static final String UNIX_AGENT = "OCS-NG_unified_unix_agent";

    /**
     * One device of the subnet being decided.
     *
     * @param id the device row id
     * @param userAgent its last User-Agent
     * @param contacts OCS FIDELITY
     * @param quality OCS QUALITY, average days between two contacts
     * @param lastInventory epoch ms, 0 if never
     * @param firstContact epoch ms
     * @param policy the admin's choice
     * @param forcedHere forced for this very subnet
     * @param onSubnet the device's last inventory puts it on this subnet
     * @param primary this is the device's primary subnet (its default route)
     * @param electedHere it holds a seat on this subnet now
     * @param electedElsewhere it holds a seat on another subnet now
     * @param unableSince epoch ms when it was asked to scan and sent nothing, 0 if never
     */
    public record Candidate(long id, String userAgent, int contacts, double quality, long lastInventory,
                            long firstContact, Policy policy, boolean forcedHere, boolean onSubnet, boolean primary,
                            boolean electedHere, boolean electedElsewhere, long unableSince) {}

    /**
     * The configuration the rules read.
     *
     * @param maxPerSubnet IPDISCOVER
     * @param maxAliveMillis IPDISCOVER_MAX_ALIVE
     * @param betterThresholdDays IPDISCOVER_BETTER_THRESHOLD
     * @param noPostpone IPDISCOVER_NO_POSTPONE
     */
    public record Rules(int maxPerSubnet, long maxAliveMillis, double betterThresholdDays, boolean noPostpone) {}

    /** Best first: most frequent contact, then most contacts, then oldest, then lowest id. */
    static final Comparator<Candidate> PREFERENCE = Comparator.comparingDouble(Candidate::quality)
            .thenComparing(Comparator.comparingInt(Candidate::contacts).reversed())
            .thenComparingLong(Candidate::firstContact)
            .thenComparingLong(Candidate::id);

    private Election() {}

    /** The devices elected for the subnet: forced ones first, then the automatic ones, best first. */
    public static List<Candidate> decide(List<Candidate> candidates, Rules rules, long now) {
        if (rules.maxPerSubnet() <= 0) {
            return List.of();
        }
        List<Candidate> elected = new ArrayList<>();
        candidates.stream().filter(c -> c.policy() == Policy.FORCED && c.forcedHere()).sorted(PREFERENCE)
                .forEach(elected::add);
        int seats = Math.max(0, rules.maxPerSubnet() - elected.size());
        List<Candidate> incumbents = new ArrayList<>();
        List<Candidate> challengers = new ArrayList<>();
        for (Candidate c : candidates) {
            if (isCandidate(c, rules, now)) {
                (c.electedHere() ? incumbents : challengers).add(c);
            }
        }
        incumbents.sort(PREFERENCE);
        challengers.sort(PREFERENCE);
        List<Candidate> kept = new ArrayList<>(incumbents.subList(0, Math.min(seats, incumbents.size())));
        int next = 0;
        while (kept.size() < seats && next < challengers.size()) {
            kept.add(challengers.get(next++));
        }
        // Replace the worst seat holder while a challenger beats it by more than the threshold.
        kept.sort(PREFERENCE);
        while (!kept.isEmpty() && next < challengers.size()) {
            Candidate worst = kept.get(kept.size() - 1);
            Candidate best = challengers.get(next);
            if (worst.quality() - best.quality() <= rules.betterThresholdDays()) {
                break;
            }
            kept.remove(kept.size() - 1);
            kept.add(best);
            kept.sort(PREFERENCE);
            next++;
        }
        elected.addAll(kept);
        return elected;
    }

    /** Whether a device may hold an automatic seat on this subnet (rule 3 and the two additions). */
    static boolean isCandidate(Candidate c, Rules rules, long now) {
        if (c.policy() != Policy.AUTO || !c.onSubnet() || c.electedElsewhere() || !electableAgent(c.userAgent())) {
            return false;
        }
        if (isUnixAgent(c.userAgent()) && !c.primary()) {
            return false;
        }
        if (!rules.noPostpone() && (c.contacts() <= 2 || c.quality() <= 0)) {
            return false;
        }
        if (c.lastInventory() <= 0 || now - c.lastInventory() > rules.maxAliveMillis()) {
            return false;
        }
        return c.unableSince() <= 0 || now - c.unableSince() > rules.maxAliveMillis();
    }

    /** OCS compares the User-Agent's name (before {@code _v<version>}) with its list. */
    static boolean electableAgent(String userAgent) {
        return ELECTABLE_AGENTS.stream().anyMatch(name -> userAgent.startsWith(name + "_v"));
    }

    static boolean isUnixAgent(String userAgent) {
        return userAgent.startsWith(UNIX_AGENT + "_v");
    }
}
