package org.teledeploy.perf.fleet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One agent's network life: its keep-alive connections (one per host and port, as LWP keeps them), each request
 * timed and counted, retried after a failure as a real agent would at its next try, with the faults of the
 * {@link FaultPlan} injected before the real request. Used by one agent at a time (requests are sequential).
 */
final class AgentSession {

    private final FleetTransport transport;
    private final FleetStats stats;
    private final AgentProfile profile;
    private final EventLoop loop;
    private final Map<String, HttpConnection> connections = new HashMap<>();
    private int connects;

    AgentSession(FleetTransport transport, FleetStats stats, AgentProfile profile) {
        this.transport = transport;
        this.stats = stats;
        this.profile = profile;
        this.loop = transport.group().next();
    }

    /**
     * Sends the request built by {@code request} (a new buffer per try) and completes with the response, any
     * status; fails with the last {@link RequestException} once the retries are used up.
     */
    CompletableFuture<Response> exchange(String kind, Endpoint endpoint, Supplier<ByteBuf> request, int keepBytes,
                                         RunningDigest digest) {
        return attempt(kind, endpoint, request, keepBytes, digest, profile.retries());
    }

    private CompletableFuture<Response> attempt(String kind, Endpoint endpoint, Supplier<ByteBuf> request,
                                                int keepBytes, RunningDigest digest, int triesLeft) {
        CompletableFuture<Void> before = CompletableFuture.completedFuture(null);
        if (profile.faults().garbage()) {
            before = sendGarbage(endpoint);
        }
        if (profile.faults().cut()) {
            before = before.thenCompose(v -> cut(kind, endpoint, request));
        }
        return before.thenCompose(v -> connection(endpoint)).thenCompose(c -> {
            MessageDigest work = digest == null ? null : digest.attempt();
            long start = System.nanoTime();
            return c.send(request.get(), keepBytes, work, profile.timeoutMillis()).thenApply(r -> {
                stats.answered(kind, r.status(), (System.nanoTime() - start) / 1000, r.bodyBytes());
                if (digest != null && r.status() == 200) {
                    digest.commit(work);
                }
                return r;
            });
        }).handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            RequestException failure = unwrap(e);
            stats.failed(kind, failure.kind());
            if (triesLeft <= 0) {
                return CompletableFuture.<Response>failedFuture(failure);
            }
            return delay(profile.compressed(profile.retryDelayMillis()))
                    .thenCompose(v -> attempt(kind, endpoint, request, keepBytes, digest, triesLeft - 1));
        }).thenCompose(f -> f);
    }

    /** The request's first bytes, then a close: the server must drop it and store nothing. */
    private CompletableFuture<Void> cut(String kind, Endpoint endpoint, Supplier<ByteBuf> request) {
        return connection(endpoint).thenCompose(c -> {
            ByteBuf full = request.get();
            int length = full.readableBytes();
            int part = 1 + ThreadLocalRandom.current().nextInt(Math.max(1, length - 1));
            stats.count("fault.cut." + kind);
            return c.sendCut(full, part);
        }).exceptionally(e -> null);
    }

    /** Garbage on a separate connection; any 2xx is a server bug and counted as such. */
    private CompletableFuture<Void> sendGarbage(Endpoint endpoint) {
        Garbage.Sample sample = Garbage.next(profile.server(), profile.server().path(), AgentBodies.USER_AGENT);
        Endpoint target = endpoint.tls() ? profile.server() : endpoint;
        return transport.connect(target).thenCompose(c -> c.send(FleetTransport.raw(sample.bytes()), 512, null,
                profile.timeoutMillis()).whenComplete((r, e) -> c.close())).handle((r, e) -> {
                    if (e != null) {
                        stats.count("fault.garbage." + sample.kind() + ".closed");
                    } else {
                        stats.count("fault.garbage." + sample.kind() + "." + r.status());
                        if (r.status() < 400) {
                            stats.count("fault.garbage.accepted");
                        }
                    }
                    return null;
                });
    }

    private CompletableFuture<HttpConnection> connection(Endpoint endpoint) {
        HttpConnection open = connections.get(endpoint.authority());
        if (open != null && open.isOpen()) {
            return CompletableFuture.completedFuture(open);
        }
        long start = System.nanoTime();
        String kind = endpoint.tls() ? "connect.tls" : "connect";
        return transport.connect(endpoint).thenApply(c -> {
            stats.answered(kind, 0, (System.nanoTime() - start) / 1000, 0);
            connections.put(endpoint.authority(), c);
            connects++;
            return c;
        });
    }

    CompletableFuture<Void> delay(long millis) {
        if (millis <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.schedule(() -> done.complete(null), millis, TimeUnit.MILLISECONDS);
        return done;
    }

    /** Whether every request so far went over the first connection (none was closed under it). */
    boolean reusedOnly() {
        return connects == 1;
    }

    void close() {
        connections.values().forEach(HttpConnection::close);
        connections.clear();
    }

    static RequestException unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RequestException r ? r : new RequestException("client", String.valueOf(t));
    }
}
