package org.teledeploy.deploy;

/**
 * An activated package: agents are offered it, and fetch its info file from {@code https://INFO_LOC/ID/info} and
 * its fragments from {@code PROTO://PACK_LOC/ID/ID-n} (shared/ocs-protocol.md §3.7).
 *
 * @param packageId numeric package ID
 * @param fragments number of fragments (0 = command only); the Unix agent rule of §6.1 depends on it
 * @param infoLocation INFO_LOC, host[:port][/path]
 * @param packLocation PACK_LOC, host[:port][/path]
 * @param certPath CERT_PATH as OCS writes it
 * @param certFile CERT_FILE as OCS writes it
 * @param activatedAt epoch milliseconds
 */
public record Activation(String packageId, int fragments, String infoLocation, String packLocation, String certPath,
                         String certFile, long activatedAt) {

    /** What the OCS console writes for CERT_PATH / CERT_FILE; current agents ignore both. */
    public static final String DEFAULT_CERT_PATH = "INSTALL_PATH";
    public static final String DEFAULT_CERT_FILE = "INSTALL_PATH/cacert.pem";
}
