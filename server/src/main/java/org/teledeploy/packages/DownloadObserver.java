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

    /**
     * A TLS handshake from {@code clientIp} failed on the HTTPS listener (typically an agent that does not trust
     * the CA, or reaches the server by a name the certificate does not carry).
     *
     * @param reason what the TLS engine said, e.g. {@code Received fatal alert: unknown_ca}
     */
    void tlsFailed(String clientIp, String reason);

    /** An observer that records nothing. */
    DownloadObserver NONE = new DownloadObserver() {
        @Override
        public void infoServed(String clientIp, String packageId) {}

        @Override
        public void fragmentServed(String clientIp, String packageId, int n, int fragments) {}

        @Override
        public void tlsFailed(String clientIp, String reason) {}
    };
}
