package org.teledeploy.admin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.deploy.AssignOptions;
import org.teledeploy.packages.Fragmentation;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSource;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.TargetOs;
import org.teledeploy.testing.RealAgent;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The dashboard's diagrams for packages the real Debian agent installed: what the agent really reported is what
 * the package page, the devices behind the error slice and the device's timeline show.
 */
class DashboardRealAgentTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create()
            .with("DOWNLOAD_FRAG_LATENCY", "0").with("DOWNLOAD_CYCLE_LATENCY", "0")
            .with("DOWNLOAD_PERIOD_LATENCY", "0");

    @TempDir
    Path work;

    @Test
    void theDiagramsShowWhatTheRealAgentReported() throws Exception {
        RealAgent.assumeInstalled();
        RealAgent agent = new RealAgent(work.resolve("agent"));
        String url = server.httpUrl();
        assertEquals(0, agent.run(url, server.server().caCertificate(), Duration.ofSeconds(90), "--nosoftware")
                .exitCode());
        String device = agent.deviceId(url);
        long id = server.server().registry().find(device).orElseThrow().id();
        PackageRecord ok = build("stored", PackageAction.STORE, work.resolve("target").toString());
        PackageRecord bad = build("failing", PackageAction.EXECUTE, "sh ./fail.sh");
        for (PackageRecord p : List.of(ok, bad)) {
            server.server().activation().activate(p.id(), Optional.empty(), Optional.empty()).join();
            server.server().deployments().assign(p.id(), List.of(id), AssignOptions.DEFAULT, "device").join();
        }
        RealAgent.Run run = agent.run(url, server.server().caCertificate(), Duration.ofSeconds(90), "--nosoftware");
        assertEquals(0, run.exitCode(), run.output());
        server.server().flushWrites();
        assertEquals("SUCCESS", server.server().queries().state(device, ok.id()).join(), run.log());
        assertEquals("ERR_EXECUTE", server.server().queries().state(device, bad.id()).join(), run.log());

        DashboardHttp http = new DashboardHttp(server);
        String session = http.login();
        DashboardHttp.Page list = http.get("/dashboard", session);
        assertEquals(200, list.status());
        assertTrue(list.body().contains("stored") && list.body().contains("failing"), list.body());
        DashboardHttp.Page okPage = http.get("/dashboard/packages/" + ok.id(), session);
        assertTrue(okPage.body().contains("SUCCESS"), okPage.body());
        DashboardHttp.Page badPage = http.get("/dashboard/packages/" + bad.id(), session);
        assertTrue(badPage.body().contains("ERR_EXECUTE"), badPage.body());
        DashboardHttp.Page errors = http.get("/dashboard/packages/" + bad.id() + "/devices?bucket=error", session);
        assertTrue(errors.body().contains(device), errors.body());
        DashboardHttp.Page timeline = http.get("/dashboard/devices/" + device, session);
        assertTrue(timeline.body().contains("ERR_EXECUTE") && timeline.body().contains("SUCCESS"), timeline.body());
    }

    private PackageRecord build(String name, PackageAction action, String parameter) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.writeString(dir.resolve("fail.sh"), "exit 3\n");
        return server.server().packages().build(PackageSpec.of(name, TargetOs.LINUX, action, parameter)
                .withFragmentation(Fragmentation.byCount(1)), PackageSource.directory(dir)).join();
    }
}
