package org.teledeploy.deploy;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.teledeploy.metrics.DeploymentMetrics;
import org.teledeploy.protocol.AgentReply;
import org.teledeploy.protocol.AgentRequest;
import org.teledeploy.protocol.DeviceIds;
import org.teledeploy.protocol.ProtocolException;
import org.teledeploy.protocol.QueryHandler;
import org.teledeploy.protocol.ReplyXml;
import org.teledeploy.protocol.UserAgents;
import org.teledeploy.registry.DeviceRegistry;
import org.teledeploy.registry.DeviceSummary;

/**
 * Answers PROLOG (shared/ocs-protocol.md §3) from memory: SEND or STOP by FREQUENCY, PROLOG_FREQ,
 * INVENTORY_ON_STARTUP and the DOWNLOAD option (CONF first, then one PACK per offered package).
 *
 * <p>Deliberate difference from OCS: FREQUENCY=-1 answers STOP <em>with</em> the DOWNLOAD option (OCS answers
 * "BREAK" without options, which silently disables deployment; §3.2 recommends against it).
 *
 * <p>Other options come from {@link PrologOptions} contributors (network discovery), written before DOWNLOAD
 * as in OCS; one that needs the agent's inventory turns STOP into SEND, one may ask to close the connection.
 */
public final class PrologService implements QueryHandler {

    private static final long DAY_MS = 86_400_000L;

    private final Settings settings;
    private final DeviceRegistry registry;
    private final DownloadOffers offers;
    private final UserAgents userAgents;
    private final Clock clock;
    private final PrologOptions options;
    private final DeploymentMetrics metrics;

    public PrologService(Settings settings, DeviceRegistry registry, DownloadOffers offers, UserAgents userAgents,
                         Clock clock) {
        this(settings, registry, offers, userAgents, clock, PrologOptions.NONE);
    }

    public PrologService(Settings settings, DeviceRegistry registry, DownloadOffers offers, UserAgents userAgents,
                         Clock clock, PrologOptions options) {
        this(settings, registry, offers, userAgents, clock, options, DeploymentMetrics.unregistered());
    }

    /** @param metrics told of every decision and of the packages each reply offers */
    public PrologService(Settings settings, DeviceRegistry registry, DownloadOffers offers, UserAgents userAgents,
                         Clock clock, PrologOptions options, DeploymentMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.registry = registry;
        this.offers = offers;
        this.userAgents = userAgents;
        this.clock = clock;
        this.options = options;
    }

    @Override
    public CompletableFuture<AgentReply> handle(AgentRequest request) {
        if (!userAgents.accepts(request.userAgent())) {
            throw new ProtocolException(HttpResponseStatus.BAD_REQUEST, "User-Agent "
                    + DeviceIds.quote(request.userAgent()) + " is not an OCS agent (expected: OCS-NG_* or agent.extra.user.agents)");
        }
        Optional<DeviceSummary> device = registry.find(request.deviceId());
        device.ifPresent(d -> registry.recordContact(d.deviceId(), request.userAgent()));
        EffectiveSettings s = settings.effective(device);
        List<PrologOption> extra = options.optionsFor(device, s);
        boolean send = sendInventory(device, s.frequency()) || extra.stream().anyMatch(PrologOption::forceSend);
        ReplyXml reply = ReplyXml.reply()
                .element("RESPONSE", send ? "SEND" : "STOP")
                .element("PROLOG_FREQ", s.prologFreq())
                .element("INVENTORY_ON_STARTUP", s.inventoryOnStartup() ? 1 : 0);
        extra.forEach(o -> o.appendTo(reply));
        List<PackOffer> packs = s.on() ? offers.offersFor(device, request.clientIp()) : List.of();
        appendDownloadOption(reply, s, packs);
        metrics.prolog(send, packs.size());
        AgentReply answer = AgentReply.of(reply.toBytes());
        return CompletableFuture.completedFuture(extra.stream().anyMatch(PrologOption::closeConnection)
                ? answer.closingConnection() : answer);
    }

    /** §3.2, with the device's effective FREQUENCY ({@link EffectiveSettings}). */
    boolean sendInventory(Optional<DeviceSummary> device, int frequency) {
        if (frequency < 0) {
            return false;
        }
        if (device.isEmpty() || frequency == 0 || device.get().lastInventory() == 0) {
            return true;
        }
        return clock.millis() - device.get().lastInventory() > frequency * DAY_MS;
    }

    /**
     * The DOWNLOAD option is in every reply, CONF first with every attribute the agents need (a missing ON or
     * TIMEOUT breaks the Unix agent, §3.6); no PACK when deployment is off.
     */
    private void appendDownloadOption(ReplyXml reply, EffectiveSettings s, List<PackOffer> packs) {
        reply.option("DOWNLOAD").param(
                "TYPE", "CONF",
                "ON", s.on() ? "1" : "0",
                "FRAG_LATENCY", Integer.toString(s.fragLatency()),
                "CYCLE_LATENCY", Integer.toString(s.cycleLatency()),
                "PERIOD_LATENCY", Integer.toString(s.periodLatency()),
                "PERIOD_LENGTH", Integer.toString(s.periodLength()),
                "TIMEOUT", Integer.toString(s.timeout()),
                "EXECUTION_TIMEOUT", Integer.toString(s.executionTimeout()));
        for (PackOffer p : packs) {
            reply.param(
                    "TYPE", "PACK",
                    "ID", p.id(),
                    "INFO_LOC", p.infoLocation(),
                    "PACK_LOC", p.packLocation(),
                    "CERT_PATH", p.certPath(),
                    "CERT_FILE", p.certFile(),
                    "SCHEDULE", p.schedule(),
                    "POSTCMD", p.postCommand(),
                    "FORCE", p.force() ? "1" : "0");
        }
        reply.endOption();
    }
}
