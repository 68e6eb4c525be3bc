package org.teledeploy.packages;

/**
 * Told by the download listeners what they served completely, so that deployment can write the per-device
 * timeline (info fetched, fragment k of N). Called on an event loop: implementations must not block.
 */
public interface DownloadObserver {

    /** The whole info file of {@code packageId} was written to {@code clientIp} (a GET, not a HEAD or 304). */
    void infoServed(String clientIp, String packageId);

    /** The whole of fragment {@code n} of {@code fragments} was written to {@code clientIp}. */
    void fragmentServed(String clientIp, String packageId, int n, int fragments);

    /** An observer that records nothing. */
    DownloadObserver NONE = new DownloadObserver() {
        @Override
        public void infoServed(String clientIp, String packageId) {}

        @Override
        public void fragmentServed(String clientIp, String packageId, int n, int fragments) {}
    };
}
