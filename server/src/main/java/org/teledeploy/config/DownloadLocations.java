package org.teledeploy.config;

import java.util.List;

/**
 * The default INFO_LOC and PACK_LOC given to new activations: {@code DOWNLOAD_URI_INFO} / {@code DOWNLOAD_URI_FRAG}
 * when set, else this server's own HTTPS / HTTP listener followed by {@code /download} (agents build
 * {@code https://INFO_LOC/ID/info} and {@code http://PACK_LOC/ID/ID-n}, so no scheme and no trailing slash).
 *
 * @param infoLocation host[:port]/path of info files
 * @param fragmentLocation host[:port]/path of fragments
 */
public record DownloadLocations(String infoLocation, String fragmentLocation) {

    /** Locations from the configured listener addresses (a port of 0 stays 0 until bound; see {@link #of(TeledeployConfig, int, int)}). */
    public static DownloadLocations of(TeledeployConfig config) {
        int https = config.listenHttps().map(HostPort::port).orElse(-1);
        int http = config.listenHttp().map(HostPort::port).orElse(-1);
        return of(config, https, http);
    }

    /**
     * Locations for listeners bound on the given ports (-1 = listener off).
     */
    public static DownloadLocations of(TeledeployConfig config, int boundHttpsPort, int boundHttpPort) {
        OcsOptions ocs = config.ocs();
        String info = ocs.uriInfo().orElseGet(() -> location(advertisedHost(config, config.listenHttps()),
                boundHttpsPort, 443));
        String frag = ocs.uriFrag().orElseGet(() -> location(advertisedHost(config, config.listenHttp()),
                boundHttpPort, 80));
        return new DownloadLocations(info, frag);
    }

    private static String location(String host, int port, int defaultPort) {
        if (port < 0) {
            return "";
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (port == defaultPort ? h : h + ":" + port) + "/download";
    }

    /**
     * The host agents should use for a listener: its address when it is a specific one, else the first TLS host
     * name (which the certificate names, so HTTPS validation passes).
     */
    private static String advertisedHost(TeledeployConfig config, java.util.Optional<HostPort> listener) {
        List<String> names = config.tlsHostnames();
        return listener.filter(hp -> !hp.isWildcard()).map(HostPort::host).orElse(names.get(0));
    }
}
