package org.teledeploy.admin.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.OcsClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Real data for the dashboard tests, made the way agents and admins make it: six devices registered by their
 * inventories (two subnets), two packages built and activated through the admin API and deployed to them, PROLOGs
 * (NOTIFIED), the info file and fragments fetched by one device, a failed TLS handshake, and DOWNLOAD reports of
 * several codes; an elected agent on each subnet reports the hosts it found (managed and unmanaged).
 *
 * <p>Firefox (P1, 2 fragments): alpha SUCCESS, bravo SUCCESS_3, charlie ERR_BAD_DIGEST, delta ERR_DOWNLOAD_INFO,
 * echo NOTIFIED, foxtrot waiting. Motd (P2, command only): alpha EXIT_CODE_1, bravo SUCCESS, charlie NOTIFIED.
 * The server must run with {@code IPDISCOVER=1}.
 */
final class DashboardFixture {

    static final String UNIX = "OCS-NG_unified_unix_agent_v2.10.0";
    static final String WINDOWS = "OCS-NG_WINDOWS_AGENT_v2.11.0.1";

    static final String ALPHA = "alpha-2024-03-05-09-12-44";
    static final String BRAVO = "bravo-2024-03-05-09-12-44";
    static final String CHARLIE = "charlie-2024-03-05-09-12-44";
    static final String DELTA = "delta-2024-03-05-09-12-44";
    static final String ECHO = "echo-2024-03-05-09-12-44";
    static final String FOXTROT = "foxtrot-2024-03-05-09-12-44";

    /** The name of P1: an admin (or whoever can post a spec) may put markup in it. */
    static final String FIREFOX = "Firefox ESR 128 <script>alert('xss')</script>";
    static final String MOTD = "motd refresh";

    final String firefox;
    final String motd;

    private DashboardFixture(String firefox, String motd) {
        this.firefox = firefox;
        this.motd = motd;
    }

    static DashboardFixture build(TeledeployServerExtension server) throws Exception {
        AdminClient api = new AdminClient(server);
        OcsClient agents = server.client();
        inventory(agents, ALPHA, "alpha", "Debian GNU/Linux", "12", "192.0.2.10", "02:00:00:00:00:0a", UNIX, "");
        inventory(agents, BRAVO, "bravo", "Debian GNU/Linux", "12", "192.0.2.11", "02:00:00:00:00:0b", UNIX, "");
        inventory(agents, CHARLIE, "charlie", "Ubuntu", "24.04", "192.0.2.12", "02:00:00:00:00:0c", UNIX, "");
        inventory(agents, DELTA, "delta", "Microsoft Windows 11 Pro", "10.0.22631", "198.51.100.20",
                "02:00:00:00:00:14", WINDOWS, "");
        inventory(agents, ECHO, "echo", "Microsoft Windows 10 Pro", "10.0.19045", "198.51.100.21",
                "02:00:00:00:00:15", WINDOWS, "");
        inventory(agents, FOXTROT, "foxtrot", "Debian GNU/Linux", "11", "198.51.100.22", "02:00:00:00:00:16", UNIX,
                "");

        String upload = api.uploadBytes("firefox.tar.gz", AdminClient.tarGz(Map.of(
                "install.sh", "#!/bin/sh\necho installing firefox\n", "firefox.bin", "f".repeat(20_000))));
        String firefox = created(api.post("/api/v1/packages", "{\"name\": \"" + FIREFOX.replace("'", "\\u0027")
                + "\", \"description\": \"Browser update for the <b>fleet</b>\", \"os\": \"linux\","
                + " \"action\": \"execute\", \"command\": \"./install.sh\", \"fragments\": 2, \"upload\": \"" + upload
                + "\"}"));
        String motd = created(api.post("/api/v1/packages", AdminClient.j("{'name': '" + MOTD + "', 'os': 'linux',"
                + " 'action': 'execute', 'command': 'run-parts /etc/update-motd.d'}")));
        for (String id : List.of(firefox, motd)) {
            AdminClient.Reply activated = api.post("/api/v1/packages/" + id + "/activate", "");
            assertEquals(200, activated.status(), activated.toString());
        }
        deploy(api, firefox, ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT);
        deploy(api, motd, ALPHA, BRAVO, CHARLIE);

        for (String[] d : new String[][] {{BRAVO, UNIX}, {CHARLIE, UNIX}, {DELTA, WINDOWS}, {ECHO, WINDOWS},
                {ALPHA, UNIX}}) {
            prolog(agents, d[0], d[1]); // alpha last: the download listeners see 127.0.0.1 as alpha
        }
        OcsClient downloads = new OcsClient("127.0.0.1", server.server().httpPort());
        int events = events(server, firefox);
        for (String path : List.of("info", firefox + "-1", firefox + "-2")) {
            OcsClient.Response r = downloads.exchange(("GET /download/" + firefox + "/" + path + " HTTP/1.1\r\nHost: x"
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals(200, r.status(), path);
            events = awaitEvents(server, firefox, events + 1); // recorded once served: keep the order
        }
        failTlsHandshake(server.server().httpsPort());
        awaitEvents(server, firefox, events + 1);

        report(agents, ALPHA, firefox, "SUCCESS");
        report(agents, BRAVO, firefox, "SUCCESS_3");
        report(agents, CHARLIE, firefox, "ERR_BAD_DIGEST");
        report(agents, DELTA, firefox, "ERR_DOWNLOAD_INFO");
        report(agents, ALPHA, motd, "EXIT_CODE_1");
        report(agents, BRAVO, motd, "SUCCESS");

        assertEquals(200, api.post("/api/v1/network/devices/" + ALPHA + "/elect", "{}").status());
        assertEquals(200, api.post("/api/v1/network/devices/" + DELTA + "/elect", "{}").status());
        inventory(agents, ALPHA, "alpha", "Debian GNU/Linux", "12", "192.0.2.10", "02:00:00:00:00:0a", UNIX,
                host("192.0.2.11", "02:00:00:00:00:0b", "bravo") + host("192.0.2.12", "02:00:00:00:00:0c", "charlie")
                        + host("192.0.2.50", "02:00:00:00:00:50", "printer-2nd-floor")
                        + host("192.0.2.51", "02:00:00:00:00:51", "nas"));
        inventory(agents, DELTA, "delta", "Microsoft Windows 11 Pro", "10.0.22631", "198.51.100.20",
                "02:00:00:00:00:14", WINDOWS, host("198.51.100.21", "02:00:00:00:00:15", "echo")
                        + host("198.51.100.90", "02:00:00:00:00:90", "<img src=x onerror=alert(1)>"));
        server.server().flushWrites();
        return new DashboardFixture(firefox, motd);
    }

    static void inventory(OcsClient agents, String deviceId, String name, String os, String osVersion, String ip,
                          String mac, String userAgent, String discovered) throws IOException {
        String subnet = ip.substring(0, ip.lastIndexOf('.')) + ".0";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<REQUEST>\n  <CONTENT>\n"
                + "    <HARDWARE><NAME>" + name + "</NAME><OSNAME>" + os + "</OSNAME><OSVERSION>" + osVersion
                + "</OSVERSION><IPADDR>" + ip + "</IPADDR><DEFAULTGATEWAY>" + subnet.replaceAll("0$", "1")
                + "</DEFAULTGATEWAY><WORKGROUP>LAB</WORKGROUP></HARDWARE>\n"
                + "    <ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>paris</KEYVALUE></ACCOUNTINFO>\n"
                + (discovered.isEmpty() ? "" : "    <IPDISCOVER>" + discovered + "</IPDISCOVER>\n")
                + "    <NETWORKS><DESCRIPTION>eth0</DESCRIPTION><IPADDRESS>" + ip + "</IPADDRESS><IPGATEWAY>"
                + subnet.replaceAll("0$", "1") + "</IPGATEWAY><IPMASK>255.255.255.0</IPMASK><IPSUBNET>" + subnet
                + "</IPSUBNET><MACADDR>" + mac + "</MACADDR><STATUS>Up</STATUS><TYPE>ethernet</TYPE></NETWORKS>\n"
                + "    <SOFTWARES><NAME>openssl</NAME><VERSION>3.0.15</VERSION></SOFTWARES>\n"
                + "  </CONTENT>\n  <DEVICEID>" + deviceId + "</DEVICEID>\n  <QUERY>INVENTORY</QUERY>\n</REQUEST>\n";
        OcsClient.Response r = agents.post("/ocsinventory", OcsClient.zlib(xml.getBytes(StandardCharsets.UTF_8)),
                userAgent);
        assertEquals(200, r.status(), r.text());
    }

    /** An IpDiscover host line as the agent sends it, the name escaped for XML. */
    static String host(String ip, String mac, String name) {
        return "<H><I>" + ip + "</I><M>" + mac + "</M><N>" + name.replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;") + "</N></H>";
    }

    static void prolog(OcsClient agents, String deviceId, String userAgent) throws IOException {
        OcsClient.Response r = agents.post("/ocsinventory",
                OcsClient.zlib(OcsClient.prolog(deviceId).getBytes(StandardCharsets.UTF_8)), userAgent);
        assertEquals(200, r.status());
    }

    static void report(OcsClient agents, String deviceId, String packageId, String code) throws IOException {
        assertEquals(200, agents.post(OcsClient.downloadReport(deviceId, packageId, code)).status());
    }

    static void deploy(AdminClient api, String packageId, String... devices) {
        String body;
        try {
            body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("devices", devices));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        AdminClient.Reply r = api.post("/api/v1/packages/" + packageId + "/deploy", body);
        assertEquals(200, r.status(), r.toString());
        assertEquals(devices.length, r.json().get("created").asInt(), r.toString());
    }

    /** Plain text on the HTTPS port: the handshake fails, which the timeline records on NOTIFIED packages. */
    static void failTlsHandshake(int httpsPort) throws IOException {
        try (Socket s = new Socket("127.0.0.1", httpsPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // until the server closes
            }
        } catch (java.net.SocketException closed) {
            // reset by the server: the handshake failed, as intended
        }
    }

    /** Timeline events of alpha's Firefox. */
    private static int events(TeledeployServerExtension server, String packageId) {
        server.server().flushWrites();
        return (int) server.server().queries().timeline(ALPHA).join().stream()
                .filter(e -> e.packageId().equals(packageId)).count();
    }

    /** Waits (bounded) until alpha's Firefox timeline has {@code n} events; returns how many it has. */
    private static int awaitEvents(TeledeployServerExtension server, String packageId, int n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int now;
        while ((now = events(server, packageId)) < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(n, now, "timeline events of " + ALPHA);
        return now;
    }

    private static String created(AdminClient.Reply r) {
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }
}
