package org.teledeploy.deploy;

import java.time.Clock;
import org.teledeploy.packages.DownloadObserver;

/**
 * Turns what the download listeners served into per-device timeline events ("info fetched", "fragment 3/7"):
 * downloads carry no DEVICEID, so the device is the one whose latest PROLOG came from the same client address,
 * and only if that device has this package pending. This is how an admin sees why a machine sits in NOTIFIED.
 */
public final class DownloadTimeline implements DownloadObserver {

    /** The timeline events of downloads: an info file fetched, a fragment fetched ("n/N"). */
    static final String INFO_EVENT = "info";
    static final String FRAGMENT_EVENT = "fragment";

    private final DeploymentIndex index;
    private final DeploymentLog deploymentLog;
    private final Clock clock;

    public DownloadTimeline(DeploymentIndex index, DeploymentLog deploymentLog, Clock clock) {
        this.index = index;
        this.deploymentLog = deploymentLog;
        this.clock = clock;
    }

    @Override
    public void infoServed(String clientIp, String packageId) {
        index.deviceAt(clientIp).filter(device -> isPending(device, packageId))
                .ifPresent(device -> deploymentLog.download(device, packageId, clock.millis(), INFO_EVENT, ""));
    }

    @Override
    public void fragmentServed(String clientIp, String packageId, int n, int fragments) {
        if (!isMilestone(n, fragments)) {
            return;
        }
        index.deviceAt(clientIp).filter(device -> isPending(device, packageId))
                .ifPresent(device -> deploymentLog.download(device, packageId, clock.millis(), FRAGMENT_EVENT,
                        n + "/" + fragments));
    }

    /**
     * Which fragments make a timeline line: all of them for up to {@value #EVERY_FRAGMENT_UP_TO} fragments, else the
     * first, the last and each tenth of the way, so a 1000-fragment package costs a dozen rows per device, not a
     * thousand, and "stopped at 3/7" or "stopped near 40%" still shows.
     */
    static boolean isMilestone(int n, int fragments) {
        if (fragments <= EVERY_FRAGMENT_UP_TO || n == 1 || n == fragments) {
            return true;
        }
        return (long) n * 10 / fragments != (long) (n - 1) * 10 / fragments;
    }

    static final int EVERY_FRAGMENT_UP_TO = 16;

    /** Recorded on every NOTIFIED package of the device: it is why none of them can progress. */
    @Override
    public void tlsFailed(String clientIp, String reason) {
        index.deviceAt(clientIp).ifPresent(device -> {
            long now = clock.millis();
            index.pending(device).stream().filter(PendingAssignment::notified)
                    .forEach(a -> deploymentLog.download(device, a.packageId(), now, "tls failure", reason));
        });
    }

    private boolean isPending(long deviceId, String packageId) {
        return index.pending(deviceId).stream().anyMatch(a -> a.packageId().equals(packageId));
    }
}
