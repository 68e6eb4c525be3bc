package org.teledeploy.deploy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.config.DownloadLocations;
import org.teledeploy.packages.PackageCatalog;
import org.teledeploy.packages.PackageException;
import org.teledeploy.packages.PackageRecord;

/**
 * OCS "activate", with the checks OCS leaves to the admin's luck: the package must be complete and servable, its
 * priority must be one agents will ever download (PRI ≤ PERIOD_LENGTH), and when its info and fragment
 * locations are this server's own, the info file and first fragment must really be reachable there, over the
 * schemes and with the certificate agents will use ({@link ReachabilityCheck}).
 */
public final class PackageActivation {

    private final PackageCatalog catalog;
    private final Deployments deployments;
    private final DownloadLocations defaults;
    private final int periodLength;
    private final ReachabilityCheck check;

    public PackageActivation(PackageCatalog catalog, Deployments deployments, DownloadLocations defaults,
                             int periodLength, ReachabilityCheck check) {
        this.catalog = catalog;
        this.deployments = deployments;
        this.defaults = defaults;
        this.periodLength = periodLength;
        this.check = check;
    }

    /**
     * Activates a package at the default locations, or at the ones given (e.g. a mirror or CDN holding a copy of
     * the packages tree).
     *
     * @param infoLocation INFO_LOC ({@code host[:port][/path]}), empty for {@code DOWNLOAD_URI_INFO}
     * @param packLocation PACK_LOC, empty for {@code DOWNLOAD_URI_FRAG}
     * @return the activation; fails with {@link PackageException} saying what to fix
     */
    public CompletableFuture<Activation> activate(String packageId, Optional<String> infoLocation,
                                                  Optional<String> packLocation) {
        try {
            return checkAndActivate(packageId, infoLocation, packLocation);
        } catch (PackageException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Activation> checkAndActivate(String packageId, Optional<String> infoLocation,
                                                           Optional<String> packLocation) {
        PackageRecord record = catalog.get(packageId).orElseThrow(() ->
                new PackageException(PackageException.Kind.NOT_FOUND, "no package " + packageId));
        if (record.brokenReason().isPresent()) {
            throw new PackageException(PackageException.Kind.CONFLICT, "package " + packageId + " is broken ("
                    + record.brokenReason().get() + "; expected: delete it and build it again)");
        }
        if (record.spec().priority() > periodLength) {
            throw new PackageException(PackageException.Kind.INVALID, "priority: " + record.spec().priority()
                    + " (expected: at most DOWNLOAD_PERIOD_LENGTH = " + periodLength + ", or agents never start it)");
        }
        String info = location("infoUrl", infoLocation.orElse(defaults.infoLocation()));
        String pack = location("fragUrl", packLocation.orElse(defaults.fragmentLocation()));
        CompletableFuture<Void> reachable = CompletableFuture.completedFuture(null);
        if (info.equals(defaults.infoLocation()) || pack.equals(defaults.fragmentLocation())) {
            reachable = check.verify(record, info.equals(defaults.infoLocation()) ? info : null,
                    pack.equals(defaults.fragmentLocation()) ? pack : null);
        }
        return reachable.thenCompose(ok -> deployments.activate(packageId, record.fragments(), info, pack));
    }

    /** INFO_LOC / PACK_LOC syntax (shared/ocs-protocol.md §3.7): host[:port][/path], no scheme, no trailing slash. */
    static String location(String field, String value) {
        if (value.isEmpty()) {
            throw new PackageException(PackageException.Kind.INVALID, field + ": empty (expected: host[:port]/path;"
                    + " this server has no listener for it, set DOWNLOAD_URI_INFO / DOWNLOAD_URI_FRAG)");
        }
        if (!value.matches("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+)(:[0-9]{1,5})?(/[A-Za-z0-9._~\\-]+)*")) {
            throw new PackageException(PackageException.Kind.INVALID, field + ": " + value + " (expected:"
                    + " host[:port][/path] without scheme or trailing slash, e.g. deploy.example.org/download)");
        }
        return value;
    }
}
