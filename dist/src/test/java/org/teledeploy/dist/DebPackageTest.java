package org.teledeploy.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the .deb holds, read with {@code dpkg-deb} (no root needed): its control fields, every file with its
 * mode and root ownership, the conffiles, the packaged configuration, and maintainer scripts that parse.
 */
class DebPackageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Path deb;

    @BeforeAll
    static void find() throws Exception {
        deb = Artifacts.deb();
    }

    @Test
    void controlFields() throws Exception {
        String version = Artifacts.distName().substring("teledeploy-".length()).replace('-', '~');
        assertEquals("teledeploy", field("Package"));
        assertEquals(version, field("Version"));
        assertEquals("all", field("Architecture"));
        // procps: /bin/kill of the unit's ExecReload.
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser, procps",
                field("Depends"));
        assertTrue(field("Maintainer").matches(".+ <[^@ ]+@[^@ ]+>"), field("Maintainer"));
        assertEquals("teledeploy_" + version + "_all.deb", deb.getFileName().toString());
    }

    @Test
    void everyFileWithItsModeOwnedByRoot() throws Exception {
        Map<String, String> have = new TreeMap<>();
        for (String line : Commands.run(TIMEOUT, "dpkg-deb", "--contents", deb.toString()).ok().output().split("\n")) {
            // -rwxr-xr-x root/root       764 2026-12-01 22:48 ./usr/bin/teledeployd
            String[] f = line.trim().split("\\s+");
            assertEquals("root/root", f[1], line);
            if (f[0].startsWith("-")) {
                have.put(f[5].substring(1), f[0]);
            }
        }
        Map<String, String> want = new TreeMap<>(Map.ofEntries(
                Map.entry("/usr/share/teledeploy/teledeployd.jar", "-rw-r--r--"),
                Map.entry("/usr/share/teledeploy/teledeploy.jar", "-rw-r--r--"),
                Map.entry("/usr/bin/teledeployd", "-rwxr-xr-x"),
                Map.entry("/usr/bin/teledeploy", "-rwxr-xr-x"),
                Map.entry("/lib/systemd/system/teledeployd.service", "-rw-r--r--"),
                Map.entry("/etc/teledeploy/teledeploy.properties", "-rw-r--r--"),
                Map.entry("/etc/default/teledeployd", "-rw-r--r--"),
                Map.entry("/usr/share/doc/teledeploy/copyright", "-rw-r--r--"),
                Map.entry("/usr/share/doc/teledeploy/changelog.gz", "-rw-r--r--"),
                Map.entry("/usr/share/doc/teledeploy/README.md.gz", "-rw-r--r--"),
                Map.entry("/usr/share/man/man1/teledeployd.1.gz", "-rw-r--r--"),
                Map.entry("/usr/share/man/man1/teledeploy.1.gz", "-rw-r--r--"),
                Map.entry("/usr/share/lintian/overrides/teledeploy", "-rw-r--r--")));
        try (var docs = Files.list(Path.of("../docs")); var conf = Files.list(Path.of("../conf"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(p ->
                    want.put("/usr/share/doc/teledeploy/" + p.getFileName() + ".gz", "-rw-r--r--"));
            conf.filter(p -> p.toString().endsWith(".yml")).forEach(p ->
                    want.put("/usr/share/doc/teledeploy/examples/" + p.getFileName(), "-rw-r--r--"));
        }
        assertTrue(want.containsKey("/usr/share/doc/teledeploy/examples/prometheus.yml"), want.toString());
        assertEquals(want, have);
    }

    @Test
    void theConfigurationIsAConffileWithTheStateInVarLib(@TempDir Path dir) throws Exception {
        Commands.run(TIMEOUT, "dpkg-deb", "--raw-extract", deb.toString(), dir.toString()).ok();
        assertEquals(List.of("/etc/teledeploy/teledeploy.properties", "/etc/default/teledeployd"),
                Files.readAllLines(dir.resolve("DEBIAN/conffiles")));
        List<String> packaged = Files.readAllLines(dir.resolve("etc/teledeploy/teledeploy.properties"));
        List<String> shipped = Files.readAllLines(Path.of("../conf/teledeploy.properties"));
        assertTrue(packaged.contains("state.dir = /var/lib/teledeploy"), String.join("\n", packaged));
        assertEquals(shipped.size(), packaged.size());
        int changed = 0;
        for (int i = 0; i < shipped.size(); i++) {
            if (!shipped.get(i).equals(packaged.get(i))) {
                changed++;
            }
        }
        assertEquals(2, changed, "only the state.dir line and its comment differ from conf/teledeploy.properties");
        assertEquals(Files.readString(Path.of("../systemd/teledeployd.service")),
                Files.readString(dir.resolve("lib/systemd/system/teledeployd.service")));
        String copyright = Files.readString(dir.resolve("usr/share/doc/teledeploy/copyright"));
        assertTrue(copyright.startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"));
        assertTrue(copyright.contains("\nLicense: Apache-2.0\n"), copyright);
    }

    @Test
    void maintainerScriptsAreExecutableAndParse(@TempDir Path dir) throws Exception {
        Commands.run(TIMEOUT, "dpkg-deb", "--control", deb.toString(), dir.toString()).ok();
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = dir.resolve(script);
            assertTrue(Files.isExecutable(file), script);
            assertTrue(Files.readString(file).startsWith("#!/bin/sh\n"), script);
            Commands.run(TIMEOUT, "sh", "-n", file.toString()).ok();
        }
        String postinst = Files.readString(dir.resolve("postinst"));
        assertTrue(postinst.contains("adduser --system --group"), postinst);
        assertTrue(postinst.contains("[ -d /run/systemd/system ]"), "starts the unit only under systemd");
        assertTrue(Files.readString(dir.resolve("postrm")).contains("rm -rf /var/lib/teledeploy"));
    }

    private static String field(String name) throws Exception {
        return Commands.run(TIMEOUT, "dpkg-deb", "--field", deb.toString(), name).ok().output().strip();
    }
}
