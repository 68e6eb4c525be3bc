package org.teledeploy.perf.fleet;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One agent's run, the Unix agent's sequence (protocol §6): PROLOG; INVENTORY if told SEND (then one more PROLOG
 * when nothing was offered, as the next run would); then for each offered package its info file over HTTPS, its
 * fragments over HTTP (digest checked over all of them), and the DOWNLOAD report, retried until acknowledged.
 * The agent's waits are the CONF latencies divided by the compression factor.
 */
final class SimulatedAgent {

    private static final int SMALL = 64 * 1024;
    private final int index;
    private final AgentProfile profile;
    private final AgentSession session;
    private final FleetStats stats;
    private final ResultLedger ledger;
    private final String deviceId;

    SimulatedAgent(int index, AgentProfile profile, AgentSession session, FleetStats stats, ResultLedger ledger) {
        this.index = index;
        this.profile = profile;
        this.session = session;
        this.stats = stats;
        this.ledger = ledger;
        this.deviceId = profile.bodies().deviceId(index);
    }

    CompletableFuture<Void> run() {
        return prolog(true)
                .thenCompose(this::deploy)
                .handle((v, e) -> {
                    session.close();
                    if (e != null) {
                        stats.count("agent.failed." + AgentSession.unwrap(e).kind());
                    } else {
                        stats.count("agent.done");
                    }
                    return null;
                });
    }

    private CompletableFuture<List<Replies.Pack>> prolog(boolean first) {
        byte[] body = AgentBodies.zlib(profile.bodies().prolog(index));
        return post("prolog", body).thenCompose(r -> {
            Replies.Reply reply = read("prolog", r);
            List<Replies.Pack> packs = reply.packs().stream().filter(p -> profile.wants(p.id())).toList();
            if (!"SEND".equals(reply.response()) || !profile.inventory()) {
                return CompletableFuture.completedFuture(packs);
            }
            return inventory().thenCompose(v -> first && packs.isEmpty() ? prolog(false)
                    : CompletableFuture.completedFuture(packs));
        });
    }

    private CompletableFuture<Void> inventory() {
        return post("inventory", AgentBodies.zlib(profile.bodies().inventory(index))).thenAccept(r -> {
            Replies.Reply reply = read("inventory", r);
            if (!reply.response().endsWith("ACCOUNT_UPDATE")) {
                throw new RequestException("wrong-reply", "inventory RESPONSE=" + reply.response());
            }
        });
    }

    private CompletableFuture<Void> deploy(List<Replies.Pack> packs) {
        if (packs.isEmpty()) {
            stats.count("agent.nothing-offered");
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Replies.Pack pack : packs) {
            chain = chain.thenCompose(v -> download(pack));
        }
        return chain;
    }

    private CompletableFuture<Void> download(Replies.Pack pack) {
        Endpoint info = Endpoint.location(pack.infoLocation(), true);
        String infoPath = info.path() + "/" + pack.id() + "/info";
        return session.exchange("info", info, () -> FleetTransport.get(info, infoPath, AgentBodies.USER_AGENT),
                SMALL, null).thenCompose(r -> {
                    if (r.status() != 200) {
                        throw new RequestException("status-" + r.status(), "info " + infoPath);
                    }
                    Replies.Info meta = Replies.info(r.body());
                    return session.delay(profile.compressed(profile.periodLatencyMillis()))
                            .thenCompose(v -> fragments(pack, meta))
                            .thenCompose(err -> report(pack.id(), err));
                });
    }

    /** @return the result code to report */
    private CompletableFuture<String> fragments(Replies.Pack pack, Replies.Info meta) {
        Endpoint frags = Endpoint.location(pack.packLocation(), false);
        RunningDigest digest = profile.verifyDigest() ? new RunningDigest(meta.algorithm()) : null;
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int n = 1; n <= meta.fragments(); n++) {
            String path = frags.path() + "/" + pack.id() + "/" + pack.id() + "-" + n;
            boolean last = n == meta.fragments();
            chain = chain.thenCompose(v -> session.exchange("fragment", frags,
                    () -> FleetTransport.get(frags, path, AgentBodies.USER_AGENT), 0, digest).thenCompose(r -> {
                        if (r.status() != 200) {
                            throw new RequestException("status-" + r.status(), "fragment " + path);
                        }
                        return last ? CompletableFuture.completedFuture(null)
                                : session.delay(profile.compressed(profile.fragLatencyMillis()));
                    }));
        }
        return chain.thenApply(v -> {
            if (digest != null && !digest.matches(meta.digest(), meta.encoding())) {
                stats.count("digest.mismatch");
                return "ERR_BAD_DIGEST";
            }
            return "SUCCESS";
        });
    }

    private CompletableFuture<Void> report(String packageId, String err) {
        byte[] body = AgentBodies.zlib(profile.bodies().downloadReport(index, packageId, err));
        return post("result", body).thenAccept(r -> {
            if (r.status() != 200) {
                throw new RequestException("status-" + r.status(), "result not acknowledged");
            }
            ledger.acked(packageId, deviceId);
        });
    }

    /** A POST to the agent endpoint; 503 (the server's "come back later") is retried like a failure. */
    private CompletableFuture<Response> post(String kind, byte[] body) {
        return retryBusy(kind, body, profile.retries());
    }

    private CompletableFuture<Response> retryBusy(String kind, byte[] body, int triesLeft) {
        Endpoint server = profile.server();
        return session.exchange(kind, server, () -> FleetTransport.post(server, server.path(), AgentBodies.USER_AGENT,
                body), SMALL, null).thenCompose(r -> {
                    if ((r.status() == 503 || r.status() == 429) && triesLeft > 0) {
                        return session.delay(profile.compressed(profile.retryDelayMillis()))
                                .thenCompose(v -> retryBusy(kind, body, triesLeft - 1));
                    }
                    return CompletableFuture.completedFuture(r);
                });
    }

    private Replies.Reply read(String kind, Response r) {
        if (r.status() != 200) {
            throw new RequestException("status-" + r.status(), kind);
        }
        try {
            return Replies.reply(r.body());
        } catch (IllegalArgumentException e) {
            stats.count("wrong-reply." + kind);
            throw new RequestException("wrong-reply", e.getMessage());
        }
    }
}
