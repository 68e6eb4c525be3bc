package org.teledeploy.deploy;

import java.util.List;
import java.util.Optional;
import org.teledeploy.registry.DeviceSummary;

/**
 * Contributes options to PROLOG replies besides DOWNLOAD (network discovery's IPDISCOVER). Called for every
 * PROLOG on the event loop, so it must answer from memory, never from the store.
 */
@FunctionalInterface
public interface PrologOptions {

    PrologOptions NONE = (device, settings) -> List.of();

    /**
     * @param device the calling device, empty when it is not registered yet
     * @param settings what the rest of the reply is computed from (FREQUENCY -1 means "never inventory")
     * @return the options for this reply, usually none; they are written before DOWNLOAD, as OCS orders them
     *     (REGISTRY, IPDISCOVER, DOWNLOAD, SNMP)
     */
    List<PrologOption> optionsFor(Optional<DeviceSummary> device, EffectiveSettings settings);
}
