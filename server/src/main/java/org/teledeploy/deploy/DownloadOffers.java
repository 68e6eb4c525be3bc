package org.teledeploy.deploy;

import java.util.List;
import java.util.Optional;
import org.teledeploy.registry.DeviceSummary;

/**
 * The seam between the PROLOG and deployment: which packages a device is offered in this PROLOG. Called on the
 * event loop, so it must answer from memory. The deployment state machine implements it; until packages exist
 * {@link #NONE} offers nothing and the PROLOG carries the DOWNLOAD option with its CONF only.
 */
@FunctionalInterface
public interface DownloadOffers {

    /** Offers nothing. */
    DownloadOffers NONE = (device, clientIp) -> List.of();

    /**
     * @param device the known device (with its User-Agent: Unix agents need packages held back while a worker is
     *     busy, §6.1), or empty for a DEVICEID the registry has not seen yet
     * @param clientIp where this PROLOG came from (info and fragment downloads are attributed by address)
     */
    List<PackOffer> offersFor(Optional<DeviceSummary> device, String clientIp);
}
