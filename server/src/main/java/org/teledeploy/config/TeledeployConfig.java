package org.teledeploy.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The immutable, validated configuration of one teledeployd: built-in defaults, overridden by an optional
 * properties file, overridden by {@code TELEDEPLOY_*} environment variables. Invalid input never starts a server:
 * {@link #load} reports every problem at once in the shape {@code "key: value (expected: ...)"}.
 */
public final class TeledeployConfig {

    /** Where an effective value came from, shown by {@code --check-config}. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT }

    private final Map<ConfigKey, Object> values;
    private final Map<ConfigKey, String> raw;
    private final Map<ConfigKey, Source> sources;
    private final Path file;

    private TeledeployConfig(Map<ConfigKey, Object> values, Map<ConfigKey, String> raw,
                             Map<ConfigKey, Source> sources, Path file) {
        this.values = values;
        this.raw = raw;
        this.sources = sources;
        this.file = file;
    }

    /** Built-in defaults only (no file, no environment). */
    public static TeledeployConfig defaults() {
        return load(null, Map.of());
    }

    /**
     * Loads and validates a configuration.
     *
     * @param file a properties file, or null for built-in defaults
     * @param environment the process environment (only {@code TELEDEPLOY_<KEY>} entries are read)
     * @throws ConfigException listing every problem
     */
    public static TeledeployConfig load(Path file, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Map<ConfigKey, String> raw = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, Source> sources = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            raw.put(key, key.defaultValue());
            sources.put(key, Source.DEFAULT);
        }
        if (file != null) {
            readFile(file, raw, sources, problems);
        }
        for (ConfigKey key : ConfigKey.values()) {
            String value = environment.get(key.environmentVariable());
            if (value != null) {
                raw.put(key, value);
                sources.put(key, Source.ENVIRONMENT);
            }
        }
        Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            try {
                values.put(key, key.parse(raw.get(key)));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage() + fromWhere(key, sources.get(key)));
            }
        }
        if (problems.isEmpty()) {
            crossCheck(values, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new TeledeployConfig(values, raw, sources, file);
    }

    private static String fromWhere(ConfigKey key, Source source) {
        switch (source) {
            case FILE: return " [from the config file]";
            case ENVIRONMENT: return " [from " + key.environmentVariable() + "]";
            default: return "";
        }
    }

    private static void readFile(Path file, Map<ConfigKey, String> raw, Map<ConfigKey, Source> sources,
                                 List<String> problems) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            problems.add("--config: " + file + " (expected: a readable properties file; " + e + ")");
            return;
        } catch (IllegalArgumentException e) {
            problems.add("--config: " + file + " (expected: a valid properties file; " + e.getMessage() + ")");
            return;
        }
        for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            Optional<ConfigKey> key = ConfigKey.byKey(name);
            if (key.isEmpty()) {
                problems.add(name + ": unknown key in " + file + " (expected: one of the keys in conf/teledeploy.properties)");
                continue;
            }
            raw.put(key.get(), properties.getProperty(name));
            sources.put(key.get(), Source.FILE);
        }
    }

    private static void crossCheck(Map<ConfigKey, Object> values, List<String> problems) {
        String cert = (String) values.get(ConfigKey.TLS_CERT);
        String key = (String) values.get(ConfigKey.TLS_KEY);
        if (cert.isEmpty() != key.isEmpty()) {
            problems.add("tls.cert/tls.key: only one is set (expected: both, or neither to generate a certificate)");
        }
        for (ConfigKey k : List.of(ConfigKey.TLS_CERT, ConfigKey.TLS_KEY)) {
            String path = (String) values.get(k);
            if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
                problems.add(k.key() + ": " + path + " (expected: a readable PEM file)");
            }
        }
        List<ConfigKey> listeners = List.of(ConfigKey.LISTEN_HTTP, ConfigKey.LISTEN_HTTPS, ConfigKey.LISTEN_ADMIN,
                ConfigKey.LISTEN_METRICS);
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = i + 1; j < listeners.size(); j++) {
                Optional<?> a = (Optional<?>) values.get(listeners.get(i));
                Optional<?> b = (Optional<?>) values.get(listeners.get(j));
                if (a.isPresent() && b.isPresent()) {
                    HostPort x = (HostPort) a.get();
                    HostPort y = (HostPort) b.get();
                    if (x.port() != 0 && x.port() == y.port()) {
                        problems.add(listeners.get(j).key() + ": " + y + " (expected: a port other than "
                                + listeners.get(i).key() + "'s " + x.port() + ")");
                    }
                }
            }
        }
        Optional<?> admin = (Optional<?>) values.get(ConfigKey.LISTEN_ADMIN);
        if (admin.isPresent() && !((HostPort) admin.get()).isLoopback()
                && !Boolean.TRUE.equals(values.get(ConfigKey.ADMIN_ALLOW_REMOTE))) {
            problems.add("listen.admin: " + admin.get() + " (expected: a loopback address such as 127.0.0.1:8081; the"
                    + " admin API is plain HTTP: put it behind a TLS proxy and set admin.allow.remote = 1)");
        }
        if (((Optional<?>) values.get(ConfigKey.LISTEN_HTTP)).isEmpty()
                && ((Optional<?>) values.get(ConfigKey.LISTEN_HTTPS)).isEmpty()) {
            problems.add("listen.http/listen.https: both off (expected: at least one agent listener)");
        }
        if (((Optional<?>) values.get(ConfigKey.LISTEN_HTTPS)).isEmpty()
                && ((Optional<?>) values.get(ConfigKey.DOWNLOAD_URI_INFO)).isEmpty()) {
            problems.add("DOWNLOAD_URI_INFO: empty while listen.https is off (expected: host[:port]/path of the HTTPS "
                    + "server that serves info files: agents fetch them over HTTPS only)");
        }
    }

    // ---- typed accessors -------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    public Optional<HostPort> listenHttp() {
        return (Optional<HostPort>) values.get(ConfigKey.LISTEN_HTTP);
    }

    @SuppressWarnings("unchecked")
    public Optional<HostPort> listenHttps() {
        return (Optional<HostPort>) values.get(ConfigKey.LISTEN_HTTPS);
    }

    @SuppressWarnings("unchecked")
    public Optional<HostPort> listenAdmin() {
        return (Optional<HostPort>) values.get(ConfigKey.LISTEN_ADMIN);
    }

    /** The unauthenticated metrics listener, off by default. */
    @SuppressWarnings("unchecked")
    public Optional<HostPort> listenMetrics() {
        return (Optional<HostPort>) values.get(ConfigKey.LISTEN_METRICS);
    }

    public Path stateDir() {
        return Path.of((String) values.get(ConfigKey.STATE_DIR));
    }

    /** The admin-supplied certificate chain, if any (otherwise one is generated under the state dir). */
    public Optional<Path> tlsCert() {
        String s = (String) values.get(ConfigKey.TLS_CERT);
        return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s));
    }

    public Optional<Path> tlsKey() {
        String s = (String) values.get(ConfigKey.TLS_KEY);
        return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s));
    }

    /** The configured names, or this host's name, {@code localhost} and {@code 127.0.0.1}. */
    @SuppressWarnings("unchecked")
    public List<String> tlsHostnames() {
        List<String> configured = (List<String>) values.get(ConfigKey.TLS_HOSTNAMES);
        if (!configured.isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(configured));
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        localHostName().ifPresent(names::add);
        names.add("localhost");
        names.add("127.0.0.1");
        return List.copyOf(names);
    }

    /** {@code tls.expiry.warning}: warn while the certificate expires within it; zero = never. */
    public Duration tlsExpiryWarning() {
        return (Duration) values.get(ConfigKey.TLS_EXPIRY_WARNING);
    }

    public String tlsProvider() {
        return (String) values.get(ConfigKey.TLS_PROVIDER);
    }

    public String transport() {
        return (String) values.get(ConfigKey.TRANSPORT);
    }

    public int ioThreads() {
        int n = (Integer) values.get(ConfigKey.IO_THREADS);
        return n == 0 ? Runtime.getRuntime().availableProcessors() : n;
    }

    public long maxBodySize() {
        return (Long) values.get(ConfigKey.LIMIT_BODY_SIZE);
    }

    public long maxInflatedSize() {
        return (Long) values.get(ConfigKey.LIMIT_INFLATED_SIZE);
    }

    public int maxHeaderSize() {
        return Math.toIntExact((Long) values.get(ConfigKey.LIMIT_HEADER_SIZE));
    }

    public int maxLineLength() {
        return Math.toIntExact((Long) values.get(ConfigKey.LIMIT_LINE_LENGTH));
    }

    public int maxXmlDepth() {
        return (Integer) values.get(ConfigKey.LIMIT_XML_DEPTH);
    }

    /** {@code limit.connections.per.client}; 0 = no limit. */
    public int maxConnectionsPerClient() {
        return (Integer) values.get(ConfigKey.LIMIT_CONNECTIONS_PER_CLIENT);
    }

    /** {@code limit.requests.per.client}, requests a second; 0 = no limit. */
    public double requestsPerClient() {
        return (Double) values.get(ConfigKey.LIMIT_REQUESTS_PER_CLIENT);
    }

    /** {@code limit.requests.burst}: the size of each client's token bucket. */
    public int requestBurst() {
        return (Integer) values.get(ConfigKey.LIMIT_REQUESTS_BURST);
    }

    public int maxConnections() {
        return (Integer) values.get(ConfigKey.LIMIT_CONNECTIONS);
    }

    /** Largest upload accepted by the admin API, in bytes. */
    public long adminUploadMaxSize() {
        return (Long) values.get(ConfigKey.ADMIN_UPLOAD_MAX_SIZE);
    }

    /** Uploads received by the admin API at once at most. */
    public int adminUploadMaxConcurrent() {
        return (Integer) values.get(ConfigKey.ADMIN_UPLOAD_MAX_CONCURRENT);
    }

    public Duration requestTimeout() {
        return (Duration) values.get(ConfigKey.TIMEOUT_REQUEST);
    }

    public Duration idleTimeout() {
        return (Duration) values.get(ConfigKey.TIMEOUT_IDLE);
    }

    /** How long a stop waits for requests in progress. */
    public Duration shutdownTimeout() {
        return (Duration) values.get(ConfigKey.TIMEOUT_SHUTDOWN);
    }

    public boolean storeSynchronousFull() {
        return values.get(ConfigKey.STORE_SYNCHRONOUS).equals("full");
    }

    public int storeBatchSize() {
        return (Integer) values.get(ConfigKey.STORE_BATCH_SIZE);
    }

    public int storeQueueSize() {
        return (Integer) values.get(ConfigKey.STORE_QUEUE_SIZE);
    }

    /** How long a store connection waits for a lock held by another connection or process. */
    public Duration storeBusyTimeout() {
        return (Duration) values.get(ConfigKey.STORE_BUSY_TIMEOUT);
    }

    public String logLevel() {
        return (String) values.get(ConfigKey.LOG_LEVEL);
    }

    /** {@code stdout}, {@code off}, or a file path. */
    public String accessLog() {
        return (String) values.get(ConfigKey.LOG_ACCESS);
    }

    @SuppressWarnings("unchecked")
    public List<String> extraUserAgents() {
        return (List<String>) values.get(ConfigKey.AGENT_EXTRA_USER_AGENTS);
    }

    /** The OCS server options as agents see them. */
    public OcsOptions ocs() {
        return new OcsOptions(
                (Integer) values.get(ConfigKey.FREQUENCY),
                (Integer) values.get(ConfigKey.PROLOG_FREQ),
                (Boolean) values.get(ConfigKey.INVENTORY_ON_STARTUP),
                (Boolean) values.get(ConfigKey.DOWNLOAD),
                (Integer) values.get(ConfigKey.DOWNLOAD_FRAG_LATENCY),
                (Integer) values.get(ConfigKey.DOWNLOAD_CYCLE_LATENCY),
                (Integer) values.get(ConfigKey.DOWNLOAD_PERIOD_LATENCY),
                (Integer) values.get(ConfigKey.DOWNLOAD_PERIOD_LENGTH),
                (Integer) values.get(ConfigKey.DOWNLOAD_TIMEOUT),
                (Integer) values.get(ConfigKey.DOWNLOAD_EXECUTION_TIMEOUT),
                optionalString(ConfigKey.DOWNLOAD_URI_INFO),
                optionalString(ConfigKey.DOWNLOAD_URI_FRAG));
    }

    /** The network discovery (IpDiscover) options. */
    public DiscoveryOptions discovery() {
        return new DiscoveryOptions(
                (Integer) values.get(ConfigKey.IPDISCOVER),
                (Integer) values.get(ConfigKey.IPDISCOVER_LATENCY),
                (Integer) values.get(ConfigKey.IPDISCOVER_MAX_ALIVE),
                (Double) values.get(ConfigKey.IPDISCOVER_BETTER_THRESHOLD),
                (Boolean) values.get(ConfigKey.IPDISCOVER_NO_POSTPONE),
                (Duration) values.get(ConfigKey.IPDISCOVER_HOST_RETENTION),
                (Integer) values.get(ConfigKey.LIMIT_IPDISCOVER_HOSTS));
    }

    @SuppressWarnings("unchecked")
    private Optional<String> optionalString(ConfigKey key) {
        return (Optional<String>) values.get(key);
    }

    /** The value as written (after trimming), for display. */
    public String rawValue(ConfigKey key) {
        return raw.get(key).trim();
    }

    public Source source(ConfigKey key) {
        return sources.get(key);
    }

    /** The properties file this configuration was read from, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The effective configuration, one {@code key = value} line per key with where it came from; derived values
     * (generated host names, download locations) are shown as such. Printed by {@code --check-config}.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("# effective teledeployd configuration");
        file().ifPresent(f -> sb.append(" (file ").append(f).append(")"));
        sb.append('\n');
        Map<ConfigKey, String[]> effective = effective();
        for (ConfigKey key : ConfigKey.values()) {
            String[] valueAndNote = effective.get(key);
            sb.append(key.key()).append(" = ").append(valueAndNote[0]).append("    # ").append(valueAndNote[1])
                    .append('\n');
        }
        return sb.toString();
    }

    /**
     * Every key with its effective value, derived values resolved, in {@link ConfigKey} order: what
     * {@link #describe()} prints, for the admin API. {@code tls.key} is a path, never key material.
     */
    public Map<String, String> effectiveValues() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        effective().forEach((key, valueAndNote) -> out.put(key.key(), valueAndNote[0]));
        return out;
    }

    /** key → {value, where it came from}. */
    private Map<ConfigKey, String[]> effective() {
        Map<ConfigKey, String[]> out = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            String value = rawValue(key);
            String note = source(key).name().toLowerCase(Locale.ROOT);
            if (source(key) == Source.ENVIRONMENT) {
                note = key.environmentVariable();
            }
            if (key == ConfigKey.TLS_HOSTNAMES && value.isEmpty()) {
                value = String.join(",", tlsHostnames());
                note = "derived";
            } else if (key == ConfigKey.DOWNLOAD_URI_INFO && value.isEmpty()) {
                value = DownloadLocations.of(this).infoLocation();
                note = "derived from listen.https";
            } else if (key == ConfigKey.DOWNLOAD_URI_FRAG && value.isEmpty()) {
                value = DownloadLocations.of(this).fragmentLocation();
                note = "derived from listen.http";
            } else if (key == ConfigKey.IO_THREADS && value.equals("0")) {
                value = Integer.toString(ioThreads());
                note = "derived (CPU cores)";
            }
            out.put(key, new String[] {value, note});
        }
        return out;
    }

    /** This host's name from the kernel (no DNS lookup, which could block or fail at start). */
    static Optional<String> localHostName() {
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                String name = Files.readString(proc).trim();
                if (!name.isEmpty()) {
                    return Optional.of(name);
                }
            }
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            if (e instanceof java.net.UnknownHostException) {
                return Optional.empty();
            }
            throw new UncheckedIOException(e);
        }
    }
}
