package org.teledeploy.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedStringsTest {

    @Test
    void equalUserAgentsShareOneInstanceInEverySummary() {
        String a = new String("OCS-NG_unified_unix_agent_v2.10.0");
        String b = new String("OCS-NG_unified_unix_agent_v2.10.0");
        DeviceSummary one = new DeviceSummary(1, "pc1-2026-01-01-00-00-00", 0, 0, 0, a, Set.of());
        DeviceSummary two = new DeviceSummary(2, "pc2-2026-01-01-00-00-00", 0, 0, 0, b, Set.of());
        assertSame(one.userAgent(), two.userAgent());
        assertSame(one.userAgent(), one.contacted(5, new String(b)).userAgent(), "a PROLOG keeps the shared copy");
        assertEquals("OCS-NG_unified_unix_agent_v2.10.0", two.userAgent());
    }

    @Test
    void randomValuesDoNotGrowItPastItsBound() {
        SharedStrings strings = new SharedStrings(10);
        for (int i = 0; i < 10; i++) {
            strings.of("random-agent-" + i);
        }
        String late = new String("random-agent-late");
        assertSame(late, strings.of(late), "past the bound a value is kept as it is");
        assertSame(late, strings.of(late));
        assertEquals("random-agent-3", strings.of(new String("random-agent-3")));
    }
}
