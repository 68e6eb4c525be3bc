package org.teledeploy.transport;

/**
 * The names of every handler of an agent connection, in pipeline order (head first), then those only the admin
 * and metrics listeners have. {@link AgentChannelInitializer} and {@link AdminChannelInitializer} are the places that install
 * them; tests and later features refer to handlers by these names.
 */
public final class PipelineNames {
    /** Counts connections over every agent listener and closes those past {@code limit.connections}. */
    public static final String CONNECTION_LIMIT = "connectionLimit";
    /** TLS (HTTPS listener only). */
    public static final String TLS = "tls";
    /** Closes keep-alive connections idle for {@code timeout.idle}. */
    public static final String IDLE_CLOSE = "idleClose";
    /** Answers 408 and closes when a started request is not whole within {@code timeout.request}. */
    public static final String REQUEST_TIMEOUT = "requestTimeout";
    /** HTTP/1.x decoding and encoding, with line and header limits. */
    public static final String HTTP_CODEC = "httpCodec";
    /** Streams {@code ChunkedInput} bodies (fragments through TLS) chunk by chunk as the socket drains. */
    public static final String CHUNKED_WRITE = "chunkedWrite";
    /** One line per request and response. */
    public static final String ACCESS_LOG = "accessLog";
    /** Tracks requests in progress, so that a stop lets them finish ({@code timeout.shutdown}). */
    public static final String IN_FLIGHT = "inFlight";
    /**
     * 429 for agent endpoint requests past {@code limit.requests.per.client}, before their body is collected (only
     * when that limit is on).
     */
    public static final String RATE_LIMIT = "rateLimit";
    /** Collects a request body up to {@code limit.body.size}; 413 past it. */
    public static final String AGGREGATOR = "aggregator";
    /** Info files and fragments: GET/HEAD {@code /download/...}; other paths go on to {@link #AGENT}. */
    public static final String DOWNLOAD = "download";
    /** The agent endpoint ({@code /ocsinventory}), and the 404 of every other path. */
    public static final String AGENT = "agent";
    /**
     * {@code GET /metrics}: on the admin listener (bearer token) every other request goes on to {@link #HEALTH}, held
     * back while a scrape renders so that answers stay in order; on the metrics listener ({@code listen.metrics}:
     * idle close, codec, access log, aggregator, this) other paths are 404.
     */
    public static final String METRICS = "metrics";
    /** Admin listener: {@code GET /health}; every other request goes on to {@link #DASHBOARD}. */
    public static final String HEALTH = "health";
    /**
     * Admin listener: the web dashboard ({@code /login}, {@code /logout}, {@code /dashboard...}); every other request
     * goes on to {@link #ADMIN_API}.
     */
    public static final String DASHBOARD = "dashboard";
    /** Admin listener: the admin API ({@code /api/v1/}), and the 404 of every other path. */
    public static final String ADMIN_API = "adminApi";

    private PipelineNames() {}
}
