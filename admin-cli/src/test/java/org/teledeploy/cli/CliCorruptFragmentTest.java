package org.teledeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * {@code teledeploy package show} and {@code package list} say a package is broken while one of its fragments is
 * found corrupt on disk, and no longer once the file is restored.
 */
class CliCorruptFragmentTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create();

    @TempDir
    Path work;

    @Test
    void aCorruptFragmentShowsThePackageAsBrokenUntilRestored() throws Exception {
        Path archive = work.resolve("app.tar.gz");
        Files.write(archive, AdminClient.tarGz(Map.of("a.txt", "a".repeat(5000))));
        CliLifecycleTest.Result created = TeledeployCliTestSupport.cli(server, "package", "create", "--name", "app",
                "--os", "linux", "--action", "store", "--path", "/opt/app", "--file", archive.toString());
        assertEquals(0, created.exit(), created.err());
        String id = created.out().strip();
        Path fragment = server.stateDir().resolve("packages").resolve(id).resolve(id + "-1");
        byte[] good = Files.readAllBytes(fragment);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x01;
        Files.write(fragment, bad);
        Files.setLastModifiedTime(fragment, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertEquals(500, get(id));

        String show = TeledeployCliTestSupport.cli(server, "package", "show", id).out();
        assertTrue(show.contains("broken: fragment 1 corrupt on disk (not served until restored)"), show);
        String list = TeledeployCliTestSupport.cli(server, "package", "list").out();
        assertTrue(list.contains("broken: fragment 1 corrupt on disk"), list);

        Files.write(fragment, good);
        Files.setLastModifiedTime(fragment, FileTime.fromMillis(System.currentTimeMillis() + 20_000));
        assertEquals(200, get(id));
        String again = TeledeployCliTestSupport.cli(server, "package", "show", id).out();
        assertTrue(again.contains("inactive") && !again.contains("broken"), again);
    }

    private int get(String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.server().httpPort() + "/download/" + id + "/" + id + "-1")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
