package org.teledeploy.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every configuration key teledeployd understands, with its default, how its value is parsed and checked, and
 * the one-line documentation repeated in {@code conf/teledeploy.properties}.
 *
 * <p>OCS server options keep their OCS names (upper case) so that administrators recognise them; teledeploy's
 * own keys are lower case and dotted. Each key can be overridden by the environment variable
 * {@code TELEDEPLOY_<KEY>} ({@link #environmentVariable()}).
 */
public enum ConfigKey {
    LISTEN_HTTP("listen.http", "0.0.0.0:8080", ConfigKey::listener,
            "host:port, or off", "Plain HTTP listener: agent endpoint and package fragments."),
    LISTEN_HTTPS("listen.https", "0.0.0.0:8443", ConfigKey::listener,
            "host:port, or off", "HTTPS listener: agent endpoint and info files (agents fetch info files over HTTPS only)."),
    LISTEN_ADMIN("listen.admin", "127.0.0.1:8081", ConfigKey::listener,
            "host:port, or off", "Admin listener: GET /health, GET /metrics and the admin API (/api/v1/), the last two with the bearer token; keep it on localhost."),
    LISTEN_METRICS("listen.metrics", "off", ConfigKey::listener,
            "host:port, or off", "Separate metrics listener: GET /metrics without authentication, for a Prometheus that cannot have the admin token."),
    STATE_DIR("state.dir", "var", ConfigKey::nonBlank,
            "a directory", "Where the database, packages and generated TLS files live (created if missing)."),

    TLS_CERT("tls.cert", "", s -> s,
            "a PEM file, or empty", "Server certificate chain (PEM, leaf first). Empty: generate a private CA and a certificate."),
    TLS_KEY("tls.key", "", s -> s,
            "a PEM file, or empty", "Private key of tls.cert (PKCS#8 PEM). Set both tls.cert and tls.key, or neither."),
    TLS_HOSTNAMES("tls.hostnames", "", ConfigKey::list,
            "comma-separated names and IPs", "Names and IP addresses of the generated certificate. Empty: this host's name, localhost, 127.0.0.1."),
    TLS_PROVIDER("tls.provider", "auto", s -> oneOf(s, "auto", "openssl", "jdk"),
            "auto, openssl or jdk", "TLS engine: openssl = BoringSSL (netty-tcnative); auto falls back to the JDK, logged."),

    TLS_EXPIRY_WARNING("tls.expiry.warning", "30d", s -> durationIn(s, Duration.ZERO, Duration.ofDays(3650)),
            "a duration, 0s-3650d", "Log a WARN at start, at reload and daily while the HTTPS certificate expires within this time; 0s = never."),

    TRANSPORT("transport", "auto", s -> oneOf(s, "auto", "epoll", "nio"),
            "auto, epoll or nio", "Netty transport: auto uses native epoll when available and falls back to NIO, logged."),
    IO_THREADS("io.threads", "0", s -> intIn(s, 0, 256),
            "0-256", "Event-loop threads; 0 means one per CPU core."),

    LIMIT_BODY_SIZE("limit.body.size", "32m", s -> sizeIn(s, 1024, 1L << 31),
            "a size, 1k-2g", "Largest request body as sent on the wire (compressed); larger: 413."),
    LIMIT_INFLATED_SIZE("limit.inflated.size", "64m", s -> sizeIn(s, 1024, 1L << 31),
            "a size, 1k-2g", "Largest request body after decompression (zip-bomb guard); larger: 413."),
    LIMIT_HEADER_SIZE("limit.header.size", "16k", s -> sizeIn(s, 1024, 1L << 20),
            "a size, 1k-1m", "Largest request header block; larger: 431."),
    LIMIT_LINE_LENGTH("limit.line.length", "8k", s -> sizeIn(s, 256, 1L << 20),
            "a size, 256-1m", "Longest request line (method, URI, version); longer: 414."),
    LIMIT_XML_DEPTH("limit.xml.depth", "32", s -> intIn(s, 4, 1000),
            "4-1000", "Deepest element nesting accepted in agent XML; deeper: 400."),
    LIMIT_CONNECTIONS("limit.connections", "20000", s -> intIn(s, 1, 10_000_000),
            "1-10000000", "Open connections accepted over all agent listeners; past it new ones are closed at once."),
    LIMIT_CONNECTIONS_PER_CLIENT("limit.connections.per.client", "0", s -> intIn(s, 0, 10_000_000),
            "0-10000000", "Open agent connections from one IP address; 0 = no limit (agents behind NAT share an address)."),
    LIMIT_REQUESTS_PER_CLIENT("limit.requests.per.client", "0", s -> decimalIn(s, 0, 100_000),
            "requests a second, 0-100000 (decimals allowed)", "Agent endpoint requests a second from one IP address (token bucket); past it 429 + Retry-After; 0 = no limit (agents behind NAT share an address)."),
    LIMIT_REQUESTS_BURST("limit.requests.burst", "20", s -> intIn(s, 1, 1_000_000),
            "1-1000000", "Requests one IP address may send at once above limit.requests.per.client (the bucket size)."),
    TIMEOUT_REQUEST("timeout.request", "30s", s -> durationIn(s, Duration.ofMillis(100), Duration.ofHours(1)),
            "a duration, 100ms-1h", "Time a request has to arrive whole once it has started (slowloris guard); then 408 and close."),
    TIMEOUT_IDLE("timeout.idle", "120s", s -> durationIn(s, Duration.ofSeconds(1), Duration.ofDays(1)),
            "a duration, 1s-1d", "A keep-alive connection with no request for this long is closed."),
    TIMEOUT_SHUTDOWN("timeout.shutdown", "10s", s -> durationIn(s, Duration.ZERO, Duration.ofMinutes(10)),
            "a duration, 0s-10m", "At a stop, requests in progress get this long to finish before their connections are closed."),
    ADMIN_UPLOAD_MAX_SIZE("admin.upload.max.size", "16g", s -> sizeIn(s, 1024, 1L << 40),
            "a size, 1k-1024g", "Largest archive uploaded to the admin API (PUT /api/v1/uploads/...); larger: 413, partial file removed."),
    ADMIN_UPLOAD_MAX_CONCURRENT("admin.upload.max.concurrent", "4", s -> intIn(s, 1, 1000),
            "1-1000", "Uploads the admin API receives at once; one more is refused with 429 + Retry-After before its body is read."),
    ADMIN_ALLOW_REMOTE("admin.allow.remote", "0", ConfigKey::zeroOrOne,
            "0 or 1", "1 lets listen.admin bind a non-loopback address; the admin API is plain HTTP, so only behind a TLS proxy."),

    STORE_SYNCHRONOUS("store.synchronous", "full", s -> oneOf(s, "full", "normal"),
            "full or normal", "SQLite synchronous mode; full makes every acknowledged write survive a power cut."),
    STORE_BATCH_SIZE("store.batch.size", "1000", s -> intIn(s, 1, 100_000),
            "1-100000", "Most writes committed together in one transaction (group commit)."),
    STORE_QUEUE_SIZE("store.queue.size", "100000", s -> intIn(s, 16, 10_000_000),
            "16-10000000", "Writes waiting for the database at most; past it requests that must persist get 503."),
    STORE_BUSY_TIMEOUT("store.busy.timeout", "5s", s -> durationIn(s, Duration.ZERO, Duration.ofMinutes(1)),
            "a duration, 0s-1m", "How long a write waits for a lock another process holds on the database; then its request gets 503 + Retry-After."),

    LOG_LEVEL("log.level", "info", s -> oneOf(s, "error", "warn", "info", "debug", "trace"),
            "error, warn, info, debug or trace", "Application log level (stdout)."),
    LOG_ACCESS("log.access", "stdout", ConfigKey::nonBlank,
            "stdout, off, or a file path", "Access log: one line per request."),

    AGENT_EXTRA_USER_AGENTS("agent.extra.user.agents", "FusionInventory-Agent", ConfigKey::list,
            "comma-separated prefixes", "User-Agent prefixes accepted on PROLOG besides every OCS-NG_* agent."),

    FREQUENCY("FREQUENCY", "0", s -> intIn(s, -1, 100_000),
            "days, -1 or more", "OCS: inventory when the last one is older than this many days; 0 = every contact, -1 = never."),
    PROLOG_FREQ("PROLOG_FREQ", "24", s -> intIn(s, 1, 100_000),
            "hours, 1 or more", "OCS: hours between two agent contacts."),
    INVENTORY_ON_STARTUP("INVENTORY_ON_STARTUP", "1", ConfigKey::zeroOrOne,
            "0 or 1", "OCS: Windows agents send an inventory when their service starts."),
    DOWNLOAD("DOWNLOAD", "1", ConfigKey::zeroOrOne,
            "0 or 1", "OCS: global deployment switch sent to agents as ON (OCS seeds 0; a deployment server defaults to 1)."),
    DOWNLOAD_FRAG_LATENCY("DOWNLOAD_FRAG_LATENCY", "10", s -> intIn(s, 0, 86_400),
            "seconds, 0-86400", "OCS: agent pause after each fragment."),
    DOWNLOAD_CYCLE_LATENCY("DOWNLOAD_CYCLE_LATENCY", "60", s -> intIn(s, 0, 86_400),
            "seconds, 0-86400", "OCS: agent pause after each download cycle."),
    DOWNLOAD_PERIOD_LATENCY("DOWNLOAD_PERIOD_LATENCY", "1", s -> intIn(s, 0, 86_400),
            "seconds, 0-86400", "OCS: agent pause after each period."),
    DOWNLOAD_PERIOD_LENGTH("DOWNLOAD_PERIOD_LENGTH", "10", s -> intIn(s, 1, 1000),
            "cycles, 1-1000", "OCS: cycles per period; a package priority above it never downloads."),
    DOWNLOAD_TIMEOUT("DOWNLOAD_TIMEOUT", "30", s -> intIn(s, 1, 3650),
            "days, 1-3650", "OCS: an agent abandons a package it first saw this many days ago (ERR_TIMEOUT)."),
    DOWNLOAD_EXECUTION_TIMEOUT("DOWNLOAD_EXECUTION_TIMEOUT", "120", s -> intIn(s, 1, 100_000),
            "minutes, 1 or more", "OCS: Windows agents kill an install command after this many minutes."),
    DOWNLOAD_URI_INFO("DOWNLOAD_URI_INFO", "", ConfigKey::location,
            "host[:port]/path, or empty", "OCS: default INFO_LOC of new activations (fetched as https://INFO_LOC/ID/info). Empty: this server's HTTPS listener."),
    DOWNLOAD_URI_FRAG("DOWNLOAD_URI_FRAG", "", ConfigKey::location,
            "host[:port]/path, or empty", "OCS: default PACK_LOC of new activations. Empty: this server's HTTP listener."),

    IPDISCOVER("IPDISCOVER", "2", s -> intIn(s, 0, 1000),
            "0-1000", "OCS: agents elected per subnet to discover it (IpDiscover); 0 = network discovery off."),
    IPDISCOVER_LATENCY("IPDISCOVER_LATENCY", "100", s -> intIn(s, 10, 60_000),
            "milliseconds, 10-60000", "OCS: pause between two ARP requests of a discovering agent (sent as IPDISC_LAT)."),
    IPDISCOVER_MAX_ALIVE("IPDISCOVER_MAX_ALIVE", "14", s -> intIn(s, 1, 3650),
            "days, 1-3650", "OCS: an elected device not inventoried for this many days loses its election."),
    IPDISCOVER_BETTER_THRESHOLD("IPDISCOVER_BETTER_THRESHOLD", "1", s -> decimalIn(s, 0, 365),
            "days, 0-365 (decimals allowed)", "OCS: a device replaces an elected one when it contacts the server this many days more often on average."),
    IPDISCOVER_NO_POSTPONE("IPDISCOVER_NO_POSTPONE", "0", ConfigKey::zeroOrOne,
            "0 or 1", "OCS: 1 elects devices from their first inventory instead of after three contacts."),
    IPDISCOVER_HOST_RETENTION("ipdiscover.host.retention", "30d", s -> durationIn(s, Duration.ofHours(1), Duration.ofDays(3650)),
            "a duration, 1h-3650d", "A discovered host not reported again for this long is forgotten."),
    LIMIT_IPDISCOVER_HOSTS("limit.ipdiscover.hosts", "65536", s -> intIn(s, 1, 1 << 20),
            "1-1048576", "Most discovered hosts kept from one inventory; the rest are dropped and logged.");

    private final String key;
    private final String defaultValue;
    private final Function<String, Object> parser;
    private final String expected;
    private final String description;

    ConfigKey(String key, String defaultValue, Function<String, Object> parser, String expected, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.expected = expected;
        this.description = description;
    }

    /** The name used in the properties file. */
    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** What a valid value looks like, as shown in error messages. */
    public String expected() {
        return expected;
    }

    public String description() {
        return description;
    }

    /** {@code TELEDEPLOY_} + the key in upper case with dots as underscores. */
    public String environmentVariable() {
        return "TELEDEPLOY_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * Parses and checks a raw value.
     *
     * @throws IllegalArgumentException with the message {@code "key: value (expected: ...)"}
     */
    Object parse(String raw) {
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": " + (raw.isEmpty() ? "\"\"" : raw) + " (expected: " + expected + ")", e);
        }
    }

    /** Finds a key by its file name, if it exists. */
    public static Optional<ConfigKey> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    private static Object listener(String s) {
        if (s.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        return Optional.of(HostPort.parse(s));
    }

    private static Object nonBlank(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("blank");
        }
        return s;
    }

    private static Object list(String s) {
        if (s.isBlank()) {
            return List.of();
        }
        List<String> items = Arrays.stream(s.split(",")).map(String::trim).toList();
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("empty item");
        }
        return items;
    }

    private static Object oneOf(String s, String... allowed) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a;
            }
        }
        throw new IllegalArgumentException("not allowed");
    }

    private static Object intIn(String s, int min, int max) {
        int value = Integer.parseInt(s);
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    /** A plain decimal number ({@code 1}, {@code 0.5}); no exponent, no sign. */
    private static Object decimalIn(String s, double min, double max) {
        if (!s.matches("[0-9]{1,6}(\\.[0-9]{1,6})?")) {
            throw new IllegalArgumentException("not a decimal number");
        }
        double value = Double.parseDouble(s);
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static Object zeroOrOne(String s) {
        return (Integer) intIn(s, 0, 1) == 1;
    }

    private static Object sizeIn(String s, long min, long max) {
        long value = Units.parseSize(s);
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static Object durationIn(String s, Duration min, Duration max) {
        Duration value = Units.parseDuration(s);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    /** OCS INFO_LOC / PACK_LOC syntax: host[:port][/path], no scheme, no trailing slash. */
    private static Object location(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        // A host name or IPv4 address, or an IPv6 address in brackets: a colon elsewhere only before the port, so
        // a scheme ("https://x") cannot pass for a host; path segments non-empty (no "//", no trailing slash).
        if (!s.matches("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+)(:[0-9]{1,5})?(/[A-Za-z0-9._~\\-]+)*")) {
            throw new IllegalArgumentException("bad location");
        }
        return Optional.of(s);
    }
}
