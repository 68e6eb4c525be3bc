package org.teledeploy.deploy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.metrics.DeploymentMetrics;
import org.teledeploy.registry.DeviceSummary;

/**
 * Decides, from memory, which packages a device's PROLOG offers (shared/ocs-protocol.md §3.8):
 * <ul>
 *   <li>a pending assignment whose package is activated and whose schedule has come;</li>
 *   <li>not a package the agent reported as installed, unless forced: that assignment is closed as
 *       {@code SUCCESS_ALREADY_IN_HISTORY} instead (offering it beside another package kills the Unix worker);</li>
 *   <li>for the Unix agent, a package with fragments is not offered for the first time while another one with
 *       fragments is NOTIFIED and younger than TIMEOUT days: the busy worker would pick it up without its
 *       fragment location and hold the machine until TIMEOUT (§6.1, checklist 32). Packages first offered in
 *       the same PROLOG are fine.</li>
 * </ul>
 * Newly offered assignments become NOTIFIED at once in memory; the store is told in the background (the PROLOG
 * reply does not wait for it: re-offering a NOTIFIED package is harmless).
 */
public final class PendingOffers implements DownloadOffers {

    private static final Logger log = LoggerFactory.getLogger(PendingOffers.class);

    private final DeploymentIndex index;
    private final DeploymentLog deploymentLog;
    private final Clock clock;
    private final long timeoutMillis;
    private final DeploymentMetrics metrics;

    /**
     * @param timeoutDays DOWNLOAD_TIMEOUT: after it an unreported NOTIFIED package no longer blocks the agent
     * @param metrics told of each assignment closed as already in the agent's history (a result)
     */
    public PendingOffers(DeploymentIndex index, DeploymentLog deploymentLog, Clock clock, int timeoutDays,
                         DeploymentMetrics metrics) {
        this.metrics = metrics;
        this.index = index;
        this.deploymentLog = deploymentLog;
        this.clock = clock;
        this.timeoutMillis = timeoutDays * 86_400_000L;
    }

    @Override
    public List<PackOffer> offersFor(Optional<DeviceSummary> maybeDevice, String clientIp) {
        if (maybeDevice.isEmpty()) {
            return List.of();
        }
        DeviceSummary device = maybeDevice.get();
        index.recordAddress(clientIp, device.id());
        List<PendingAssignment> pending = index.pending(device.id());
        if (pending.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        boolean workerBusy = device.isUnixAgent() && pending.stream().anyMatch(a -> a.notified()
                && now - a.notifiedAt() < timeoutMillis
                && index.activation(a.packageId()).map(act -> act.fragments() > 0).orElse(false));
        List<PackOffer> offers = new ArrayList<>();
        for (PendingAssignment a : pending) {
            Optional<Activation> activation = index.activation(a.packageId());
            if (activation.isEmpty() || a.notBefore() > now) {
                continue;
            }
            if (!a.force() && device.downloadHistory().contains(a.packageId())) {
                index.removePending(device.id(), a.packageId());
                deploymentLog.closeAsInHistory(device.id(), a.packageId(), now);
                metrics.result(DeploymentLog.ALREADY_IN_HISTORY);
                continue;
            }
            if (!a.notified() && workerBusy && activation.get().fragments() > 0) {
                log.debug("Holding {} back for {}: its Unix agent's download worker may be busy", a.packageId(),
                        device.deviceId());
                continue;
            }
            Activation act = activation.get();
            offers.add(new PackOffer(act.packageId(), act.infoLocation(), act.packLocation(), act.certPath(),
                    act.certFile(), "", a.postCommand(), a.force()));
            if (!a.notified() && index.markNotified(device.id(), a.packageId(), now)) {
                deploymentLog.notified(device.id(), a.packageId(), now);
            }
        }
        return offers;
    }
}
