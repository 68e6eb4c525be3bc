package org.teledeploy.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball as {@code mvn package} leaves it: exactly the files an admin needs, under
 * {@code teledeploy-<version>/}, the commands executable, the jars runnable, the shipped files unchanged.
 */
class TarballTest {

    /** Relative to dist/, where Maven runs the tests. */
    private static final Path TOP = Path.of("..");

    private static final Map<String, Integer> EXPECTED = Map.of(
            "bin/teledeployd", 0755,
            "bin/teledeploy", 0755,
            "lib/teledeployd.jar", 0644,
            "lib/teledeploy.jar", 0644,
            "systemd/teledeployd.service", 0644,
            "LICENSE", 0644,
            "README.md", 0644,
            "docs/admin-api.md", 0644,
            "docs/operations.md", 0644);

    private static final Map<String, Integer> modes = new TreeMap<>();
    private static final Map<String, byte[]> contents = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (InputStream file = Files.newInputStream(Artifacts.tarball());
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String prefix = Artifacts.distName() + "/";
                assertTrue(entry.getName().startsWith(prefix), entry.getName() + " outside " + prefix);
                String name = entry.getName().substring(prefix.length());
                modes.put(name, entry.getMode() & 07777);
                contents.put(name, tar.readAllBytes());
            }
        }
    }

    @Test
    void holdsExactlyTheDistributionWithItsFileModes() {
        Map<String, Integer> expected = new TreeMap<>(EXPECTED);
        try (var docs = Files.list(TOP.resolve("docs")); var conf = Files.list(TOP.resolve("conf"))) {
            docs.filter(p -> p.toString().endsWith(".md"))
                    .forEach(p -> expected.put("docs/" + p.getFileName(), 0644));
            // teledeploy.properties, and the Prometheus examples.
            conf.forEach(p -> expected.put("conf/" + p.getFileName(), 0644));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertTrue(expected.containsKey("conf/teledeploy.properties"));
        Map<String, String> want = new TreeMap<>();
        expected.forEach((k, v) -> want.put(k, Integer.toOctalString(v)));
        Map<String, String> have = new TreeMap<>();
        modes.forEach((k, v) -> have.put(k, Integer.toOctalString(v)));
        assertEquals(want, have);
    }

    @Test
    void shipsTheSourceTreeFilesUnchanged() throws IOException {
        for (String name : new String[] {"bin/teledeployd", "bin/teledeploy", "conf/teledeploy.properties",
                "conf/prometheus.yml", "systemd/teledeployd.service", "LICENSE", "README.md", "docs/operations.md"}) {
            assertArrayEquals(Files.readAllBytes(TOP.resolve(name)), contents.get(name), name);
        }
    }

    @Test
    void theJarsAreTheRunnableFatJars() throws IOException {
        assertEquals("org.teledeploy.Teledeployd", mainClass("lib/teledeployd.jar"));
        assertEquals("org.teledeploy.cli.TeledeployCli", mainClass("lib/teledeploy.jar"));
        assertArrayEquals(Files.readAllBytes(TOP.resolve("server/target/teledeployd.jar")),
                contents.get("lib/teledeployd.jar"));
        assertArrayEquals(Files.readAllBytes(TOP.resolve("admin-cli/target/teledeploy.jar")),
                contents.get("lib/teledeploy.jar"));
    }

    @Test
    void theCommandsRunFromTheExtractedTarballAndThroughASymlink(@TempDir Path dir) throws Exception {
        Commands.run(Duration.ofSeconds(60), "tar", "-xzf", Artifacts.tarball().toString(), "-C", dir.toString()).ok();
        Path home = dir.resolve(Artifacts.distName());
        String version = Artifacts.distName().substring("teledeploy-".length());
        assertEquals("teledeployd " + version + "\n",
                Commands.run(Duration.ofSeconds(60), home.resolve("bin/teledeployd").toString(), "--version").ok()
                        .output());
        Path link = Files.createDirectories(dir.resolve("usr-local-bin")).resolve("teledeploy");
        Files.createSymbolicLink(link, home.resolve("bin/teledeploy"));
        String help = Commands.run(Duration.ofSeconds(60), link.toString(), "--help").ok().output();
        assertTrue(help.contains("package"), help);
    }

    private static String mainClass(String name) throws IOException {
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(contents.get(name)))) {
            return jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
    }
}
