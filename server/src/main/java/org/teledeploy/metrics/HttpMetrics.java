package org.teledeploy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the listeners record, on the event loops: every request (endpoint, query, status class, latency), the
 * response body bytes sent per listener, TLS handshakes and request timeouts. Every meter is created at most once:
 * counters at start, request timers at their first use (only the combinations that occur become series), then
 * found again by array index, never by a registry lookup; recording is a few atomic adds.
 */
public final class HttpMetrics {

    static final String REQUESTS = "teledeploy.http.requests";
    static final String SERVED = "teledeploy.http.served";
    static final String TLS_HANDSHAKES = "teledeploy.tls.handshakes";
    static final String REQUEST_TIMEOUTS = "teledeploy.http.request.timeouts";
    static final String RATE_LIMITED = "teledeploy.http.rate.limited";

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final int ENDPOINTS = Endpoint.values().length;
    private static final int QUERIES = AgentQuery.values().length;

    private final MeterRegistry registry;
    /** Indexed [endpoint][query][status class], created on first use. */
    private final AtomicReferenceArray<Timer> requests =
            new AtomicReferenceArray<>(ENDPOINTS * QUERIES * STATUS_CLASSES.length);
    private final Counter[] served = new Counter[Listener.values().length];
    private final Counter[] timeouts = new Counter[Listener.values().length];
    private final Counter tlsSuccess;
    private final Counter tlsFailure;
    private final Counter rateLimited;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Listener l : Listener.values()) {
            served[l.ordinal()] = Counter.builder(SERVED).baseUnit("bytes")
                    .description("Response body bytes sent (file bodies: as far as they were sent)")
                    .tag("listener", l.label()).register(registry);
            timeouts[l.ordinal()] = Counter.builder(REQUEST_TIMEOUTS)
                    .description("Requests not received whole within timeout.request (answered 408, closed)")
                    .tag("listener", l.label()).register(registry);
        }
        tlsSuccess = tls(registry, "success");
        tlsFailure = tls(registry, "failure");
        rateLimited = Counter.builder(RATE_LIMITED)
                .description("Agent requests refused with 429 past limit.requests.per.client")
                .register(registry);
    }

    private static Counter tls(MeterRegistry registry, String result) {
        return Counter.builder(TLS_HANDSHAKES)
                .description("TLS handshakes on the HTTPS listener; failure includes clients that left before the end")
                .tag("result", result).register(registry);
    }

    /** An agent request refused with 429: its address is over {@code limit.requests.per.client}. */
    public void rateLimited() {
        rateLimited.increment();
    }

    /** Meters that record nothing, for pipelines built without a server (unit tests). */
    public static HttpMetrics unregistered() {
        return new HttpMetrics(new CompositeMeterRegistry());
    }

    /**
     * One request answered (its response written, or failed to write).
     *
     * @param path the request path without query string, or null when no request was read
     * @param query the agent's QUERY when the body was parsed, else null
     */
    public void request(Listener listener, String path, String query, int status, long nanos) {
        Endpoint endpoint = Endpoint.of(listener, path);
        AgentQuery agentQuery = AgentQuery.of(endpoint, query);
        int statusClass = Math.min(Math.max(status / 100, 1), 5) - 1;
        int index = (endpoint.ordinal() * QUERIES + agentQuery.ordinal()) * STATUS_CLASSES.length + statusClass;
        Timer timer = requests.get(index);
        if (timer == null) {
            timer = Histograms.latency(Timer.builder(REQUESTS))
                    .description("Requests answered, from the request head to the response written")
                    .tags("endpoint", endpoint.label(), "query", agentQuery.label(),
                            "status", STATUS_CLASSES[statusClass])
                    .register(registry); // idempotent: a racing thread gets the same timer
            requests.set(index, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Response body bytes written on {@code listener}. */
    public void served(Listener listener, long bytes) {
        if (bytes > 0) {
            served[listener.ordinal()].increment(bytes);
        }
    }

    public void tlsHandshake(boolean success) {
        (success ? tlsSuccess : tlsFailure).increment();
    }

    public void requestTimedOut(Listener listener) {
        timeouts[listener.ordinal()].increment();
    }
}
