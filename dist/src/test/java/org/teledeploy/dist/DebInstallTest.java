package org.teledeploy.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The .deb on this machine, for real, as an admin would use it: {@code dpkg -i}, the files and the system user,
 * the INSTALLED server started as the {@code teledeploy} user with the installed configuration (listeners moved
 * to ephemeral 127.0.0.1 ports from the environment; systemd is not running in CI, so it is started directly, as
 * the unit's ExecStart would), the INSTALLED CLI against it as root and as that user, a clean SIGTERM, a
 * reinstall over itself, {@code dpkg -r} (state, configuration and user stay) and {@code dpkg --purge} (all gone).
 *
 * <p>Runs only as root with dpkg present (CI: {@code .ci/run} runs the build as root on Debian 12 and installs
 * the package's dependencies first); skipped elsewhere, failed in CI if it cannot run. Never touches an existing
 * teledeploy installation; always purges what it installed.
 */
@Timeout(600)
class DebInstallTest {

    private static final Duration DPKG = Duration.ofSeconds(180);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern ADMIN_PORT = Pattern.compile("admin listener on 127\\.0\\.0\\.1:(\\d+)");

    private static final List<String> INSTALLED = List.of("/usr/share/teledeploy/teledeployd.jar",
            "/usr/share/teledeploy/teledeploy.jar", "/usr/bin/teledeployd", "/usr/bin/teledeploy",
            "/lib/systemd/system/teledeployd.service", "/usr/share/doc/teledeploy/copyright",
            "/usr/share/man/man1/teledeployd.1.gz");

    @Test
    void installRunUseRemoveAndPurge() throws Exception {
        Path deb = Artifacts.deb();
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean dpkg = Commands.onPath("dpkg") && Commands.onPath("runuser");
        if (!(root && dpkg)) {
            String why = "needs root and dpkg/runuser (user " + System.getProperty("user.name") + ")";
            if (Commands.inCi()) {
                fail(why + ": CI=true runs as root on Debian, so this must run there");
            }
            assumeTrue(false, why);
        }
        if (known() || getent("passwd").exitCode() == 0) {
            String why = "teledeploy is already installed here (or a teledeploy user exists): not touching it";
            if (Commands.inCi()) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        Path work = Files.createTempDirectory("teledeploy-deb-test-");
        Process server = null;
        try {
            Commands.run(DPKG, "dpkg", "-i", deb.toString()).ok();
            checkInstalled();

            server = startInstalledServer(work.resolve("teledeployd.log"));
            int adminPort = awaitStarted(server, work.resolve("teledeployd.log"));
            String url = "http://127.0.0.1:" + adminPort;
            useTheInstalledCli(url, work);
            stop(server, work.resolve("teledeployd.log"));
            server = null;

            // Reinstalling over itself (what an upgrade runs) keeps the state, the token and the user.
            String token = Files.readString(Path.of("/var/lib/teledeploy/admin.token"));
            Commands.run(DPKG, "dpkg", "-i", deb.toString()).ok();
            assertEquals(token, Files.readString(Path.of("/var/lib/teledeploy/admin.token")));
            checkInstalled();

            // Remove: the commands go; configuration, state and user stay for a reinstall.
            Commands.run(DPKG, "dpkg", "-r", "teledeploy").ok();
            for (String file : INSTALLED) {
                assertFalse(Files.exists(Path.of(file)), file + " after dpkg -r");
            }
            assertTrue(Files.exists(Path.of("/etc/teledeploy/teledeploy.properties")), "conffile kept by dpkg -r");
            assertTrue(Files.exists(Path.of("/var/lib/teledeploy/teledeploy.db")), "state kept by dpkg -r");
            assertEquals(0, getent("passwd").exitCode(), "user kept by dpkg -r");

            // Purge: nothing left.
            Commands.run(DPKG, "dpkg", "--purge", "teledeploy").ok();
            checkPurged();
        } finally {
            if (server != null) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
            if (known()) {
                Commands.run(DPKG, "dpkg", "--purge", "teledeploy");
            }
            delete(work);
        }
    }

    private static void checkInstalled() throws Exception {
        for (String file : INSTALLED) {
            assertTrue(Files.isRegularFile(Path.of(file)), file);
        }
        assertTrue(Files.isExecutable(Path.of("/usr/bin/teledeployd")));
        assertTrue(Files.isExecutable(Path.of("/usr/bin/teledeploy")));
        assertTrue(Files.readAllLines(Path.of("/etc/teledeploy/teledeploy.properties"))
                .contains("state.dir = /var/lib/teledeploy"));
        assertTrue(Commands.run(COMMAND, "dpkg-query", "--showformat=${Conffiles}\n", "--show", "teledeploy").ok()
                .output().contains("/etc/teledeploy/teledeploy.properties "), "a conffile");

        // The system user: no login, its home is the state dir, its own group.
        String[] passwd = getent("passwd").ok().output().strip().split(":");
        assertEquals("/var/lib/teledeploy", passwd[5]);
        assertTrue(passwd[6].endsWith("nologin"), passwd[6]);
        assertTrue(Integer.parseInt(passwd[2]) < 1000, "a system user: " + passwd[2]);
        assertEquals(0, getent("group").exitCode(), "the teledeploy group");
        for (String dir : List.of("/var/lib/teledeploy", "/var/log/teledeploy")) {
            PosixFileAttributes a = Files.readAttributes(Path.of(dir), PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            assertEquals("teledeploy", a.owner().getName(), dir);
            assertEquals("teledeploy", a.group().getName(), dir);
            assertEquals("rwxr-x---", PosixFilePermissions.toString(a.permissions()), dir);
        }
        // The unit is enabled for the next boot under systemd (started at once only when systemd runs).
        assertTrue(Files.isSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants/teledeployd.service")));

        // The installed command reads the installed configuration, as the unit runs it.
        String check = runuser("/usr/bin/teledeployd", "--config", "/etc/teledeploy/teledeploy.properties",
                "--check-config").ok().output();
        assertTrue(check.contains("\nstate.dir = /var/lib/teledeploy    # file\n"), check);
    }

    /** The unit's ExecStart as the unit's user, with the listeners moved to free 127.0.0.1 ports. */
    private static Process startInstalledServer(Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "teledeploy", "--", "env",
                "TELEDEPLOY_LISTEN_HTTP=127.0.0.1:0", "TELEDEPLOY_LISTEN_HTTPS=127.0.0.1:0",
                "TELEDEPLOY_LISTEN_ADMIN=127.0.0.1:0", "TELEDEPLOY_JAVA_OPTS=-Xmx256m",
                "/usr/bin/teledeployd", "--config", "/etc/teledeploy/teledeploy.properties"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("NOTIFY_SOCKET");
        builder.environment().keySet().removeIf(k -> k.startsWith("TELEDEPLOY_"));
        return builder.start();
    }

    private static int awaitStarted(Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the installed teledeployd exited with " + server.exitValue() + ":\n" + read(log));
            }
            Matcher m = ADMIN_PORT.matcher(read(log));
            if (m.find()) {
                int port = Integer.parseInt(m.group(1));
                try {
                    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200) {
                        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
                        return port;
                    }
                } catch (IOException e) {
                    // not yet
                }
            }
            Thread.sleep(200);
        }
        fail("the installed teledeployd did not answer /health within " + START + ":\n" + read(log));
        return -1;
    }

    private static void useTheInstalledCli(String url, Path work) throws Exception {
        Path token = Path.of("/var/lib/teledeploy/admin.token");
        PosixFileAttributes a = Files.readAttributes(token, PosixFileAttributes.class);
        assertEquals("teledeploy", a.owner().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(a.permissions()));

        // As root, with the token file named.
        String empty = Commands.run(COMMAND, "/usr/bin/teledeploy", "--server", url, "--token-file", token.toString(),
                "package", "list", "--json").ok().output();
        assertEquals("[ ]", empty.strip());

        // A package built by the server (as the teledeploy user) from a directory it can read.
        Path source = Files.createDirectories(work.resolve("hello"));
        Files.writeString(source.resolve("hello.txt"), "hello\n");
        Commands.run(COMMAND, "chmod", "-R", "a+rX", work.toString()).ok();
        String id = Commands.run(COMMAND, "/usr/bin/teledeploy", "--server", url, "--token-file", token.toString(),
                "package", "create", "--name", "hello", "--dir", source.toString(), "--os", "linux",
                "--action", "store", "--path", "/tmp/hello").ok().output().strip();
        assertTrue(id.matches("\\d{10}"), id);
        assertTrue(Files.isDirectory(Path.of("/var/lib/teledeploy/packages", id)), "published in the state dir");

        // As the teledeploy user, with the token found where the package keeps it (the CLI's default).
        String list = runuser("/usr/bin/teledeploy", "--server", url, "package", "list", "--json").ok().output();
        assertTrue(list.contains("\"id\" : \"" + id + "\""), list);
        assertTrue(list.contains("\"name\" : \"hello\""), list);
        String devices = runuser("/usr/bin/teledeploy", "--server", url, "device", "list", "--json").ok().output();
        assertTrue(devices.contains("\"total\" : 0"), devices);
    }

    /** SIGTERM to the JVM itself (as systemd signals the main PID), then a clean exit 0. */
    private static void stop(Process server, Path log) throws Exception {
        List<ProcessHandle> java = server.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .toList();
        assertEquals(1, java.size(), "one JVM under runuser: " + java);
        assertTrue(java.get(0).destroy(), "SIGTERM sent");
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            fail("the installed teledeployd did not stop within 60 s:\n" + read(log));
        }
        String text = read(log);
        assertEquals(0, server.exitValue(), text);
        assertTrue(text.contains("SIGTERM: stopping"), text);
        assertTrue(text.contains("teledeployd stopped"), text);
    }

    private static void checkPurged() throws Exception {
        for (String path : List.of("/usr/share/teledeploy", "/usr/bin/teledeployd", "/usr/bin/teledeploy",
                "/lib/systemd/system/teledeployd.service", "/etc/teledeploy", "/etc/default/teledeployd",
                "/var/lib/teledeploy", "/var/log/teledeploy", "/usr/share/doc/teledeploy",
                "/etc/systemd/system/teledeployd.service",
                "/etc/systemd/system/multi-user.target.wants/teledeployd.service")) {
            assertFalse(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS), path + " after dpkg --purge");
        }
        assertEquals(2, getent("passwd").exitCode(), "no teledeploy user after dpkg --purge");
        assertEquals(2, getent("group").exitCode(), "no teledeploy group after dpkg --purge");
        assertFalse(known(), "dpkg no longer knows teledeploy: " + state());
    }

    private static Commands.Result runuser(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "teledeploy", "--"));
        full.addAll(List.of(command));
        return Commands.run(COMMAND, full);
    }

    private static Commands.Result getent(String database) throws Exception {
        return Commands.run(COMMAND, "getent", database, "teledeploy");
    }

    /** dpkg's state of the package: installed, config-files, ... or "" when dpkg does not know it. */
    private static String state() throws Exception {
        Commands.Result r = Commands.run(COMMAND, "dpkg-query", "--show", "--showformat=${db:Status-Status}",
                "teledeploy");
        return r.exitCode() == 0 ? r.output().strip() : "";
    }

    private static boolean known() throws Exception {
        String state = state();
        return !state.isEmpty() && !state.equals("not-installed");
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
