package org.teledeploy.perf.fleet;

/**
 * One HTTP response as the simulator keeps it: the status, the first bytes of the body (replies and info files
 * are small; fragments are only counted and hashed), and the body size.
 */
public record Response(int status, byte[] body, long bodyBytes, boolean keepAlive) {}
