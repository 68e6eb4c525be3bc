package org.teledeploy.network;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.config.DiscoveryOptions;

/**
 * Re-decides the seats of some subnets inside one store transaction, with {@link Election} as the judge, and
 * collects what changed so memory follows after the commit. A device that takes a seat on one subnet leaves the
 * seat it had on another, which is then re-decided too (bounded: each subnet at most a few times per round).
 */
final class ElectionRound {

    private static final Logger log = LoggerFactory.getLogger(ElectionRound.class);

    private final Connection connection;
    private final Election.Rules rules;
    private final long now;
    /** Device row id → its new seat (empty: none), for the in-memory index. */
    private final Map<Long, Optional<Subnet>> changes = new HashMap<>();

    ElectionRound(Connection connection, DiscoveryOptions options, long now) {
        this.connection = connection;
        this.rules = new Election.Rules(options.maxPerSubnet(), options.maxAliveMillis(),
                options.betterThresholdDays(), options.noPostpone());
        this.now = now;
    }

    /** Re-decides these subnets (and those that lose a device to them). */
    ElectionRound decide(Collection<Subnet> subnets) throws SQLException {
        Deque<Subnet> work = new ArrayDeque<>(new HashSet<>(subnets));
        Map<Subnet, Integer> rounds = new HashMap<>();
        while (!work.isEmpty()) {
            Subnet subnet = work.poll();
            if (rounds.merge(subnet, 1, Integer::sum) > 3) {
                continue;
            }
            decideOne(subnet, work);
        }
        return this;
    }

    private void decideOne(Subnet subnet, Deque<Subnet> work) throws SQLException {
        // Holders and forced devices, plus enough of the best others to fill every seat and challenge each holder.
        int best = Math.max(rules.maxPerSubnet(), 0) * 2 + 1;
        List<Election.Candidate> candidates = DiscoveryStore.candidates(connection, subnet, rules, now, best);
        List<Election.Candidate> elected = Election.decide(candidates, rules, now);
        Set<Long> winners = new HashSet<>();
        elected.forEach(c -> winners.add(c.id()));
        for (Election.Candidate c : candidates) {
            if (c.electedHere() && !winners.contains(c.id())) {
                DiscoveryStore.unseat(connection, c.id());
                changes.put(c.id(), Optional.empty());
                log.info("IpDiscover: {} no longer discovers {} ({})", DiscoveryStore.deviceIdOf(connection, c.id()),
                        subnet, why(c));
            }
        }
        for (Election.Candidate c : elected) {
            if (c.electedHere()) {
                continue;
            }
            if (c.electedElsewhere()) {
                Optional<Subnet> previous = DiscoveryStore.state(connection, c.id()).electedSubnet();
                previous.ifPresent(work::add);
            }
            DiscoveryStore.seat(connection, c.id(), subnet, now);
            changes.put(c.id(), Optional.of(subnet));
            log.info("IpDiscover: {} elected to discover {} ({})", DiscoveryStore.deviceIdOf(connection, c.id()),
                    subnet, c.policy() == Election.Policy.FORCED ? "forced by the admin" : "automatic");
        }
    }

    private String why(Election.Candidate c) {
        if (rules.maxPerSubnet() <= 0) {
            return "IPDISCOVER=0";
        }
        if (c.policy() == Election.Policy.FORBIDDEN) {
            return "forbidden by the admin";
        }
        if (!c.onSubnet()) {
            return "no longer on this subnet";
        }
        if (c.lastInventory() <= 0 || now - c.lastInventory() > rules.maxAliveMillis()) {
            return "not inventoried for IPDISCOVER_MAX_ALIVE days";
        }
        if (c.unableSince() > 0 && now - c.unableSince() <= rules.maxAliveMillis()) {
            return "its agent sent no scan result";
        }
        return Election.isCandidate(c, rules, now) ? "replaced by a better or forced device" : "no longer eligible";
    }

    /** Device row id → new seat; apply after the commit. */
    Map<Long, Optional<Subnet>> changes() {
        return changes;
    }
}
