package org.teledeploy.protocol;

import java.util.List;

/**
 * Which User-Agents may PROLOG (shared/ocs-protocol.md §1.9): every {@code OCS-NG_*} agent whatever its version
 * (OCS's own version test rejects Windows 2.9.x by accident), plus configured prefixes
 * ({@code agent.extra.user.agents}). Checked on PROLOG only, never on other queries.
 */
public final class UserAgents {

    private final List<String> extraPrefixes;

    public UserAgents(List<String> extraPrefixes) {
        this.extraPrefixes = List.copyOf(extraPrefixes);
    }

    public boolean accepts(String userAgent) {
        if (userAgent == null || userAgent.isEmpty()) {
            return false;
        }
        if (userAgent.startsWith("OCS-NG_")) {
            return true;
        }
        for (String prefix : extraPrefixes) {
            if (userAgent.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
