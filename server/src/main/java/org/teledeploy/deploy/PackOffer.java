package org.teledeploy.deploy;

/**
 * One {@code <PARAM TYPE="PACK" .../>} of a PROLOG reply (shared/ocs-protocol.md §3.7): a package this device
 * should fetch, and where. Every attribute is always written, empty ones as "".
 *
 * @param id numeric package ID
 * @param infoLocation INFO_LOC: host[:port][/path], no scheme, no trailing slash
 * @param packLocation PACK_LOC: same syntax
 * @param certPath CERT_PATH as OCS writes it
 * @param certFile CERT_FILE as OCS writes it
 * @param schedule SCHEDULE ({@code YYYY/MM/DD HH:MM} or "")
 * @param postCommand POSTCMD ("", REBOOT, SHUTDOWN or a command)
 * @param force FORCE
 */
public record PackOffer(String id, String infoLocation, String packLocation, String certPath, String certFile,
                        String schedule, String postCommand, boolean force) {}
