package org.teledeploy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.packages.FragmentProtocol;
import org.teledeploy.packages.Fragmentation;
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageException;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSource;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.TargetOs;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Activation checks what OCS leaves to luck: the info file and first fragment really are reachable at this
 * server's own locations, over the scheme and certificate agents will use; priorities agents would never start,
 * broken packages and malformed locations are refused with what to fix.
 */
class PackageActivationTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("DOWNLOAD_PERIOD_LENGTH", "6");

    @TempDir
    Path work;

    @Test
    void ownLocationsAreFetchedAsAgentsWouldBeforeTheActivationIsRecorded() throws Exception {
        PackageRecord http = build(PackageSpec.of("h", TargetOs.LINUX, PackageAction.STORE, "/tmp/h"));
        Activation a = server.server().activation().activate(http.id(), Optional.empty(), Optional.empty()).join();
        assertEquals(server.server().downloadLocations().infoLocation(), a.infoLocation());
        assertEquals(server.server().downloadLocations().fragmentLocation(), a.packLocation());
        assertEquals(1, a.fragments());
        PackageRecord https = build(PackageSpec.of("s", TargetOs.LINUX, PackageAction.STORE, "/tmp/s")
                .withProtocol(FragmentProtocol.HTTPS));
        String httpsLocation = "127.0.0.1:" + server.server().httpsPort() + "/download";
        assertEquals(httpsLocation, server.server().activation().activate(https.id(), Optional.empty(),
                Optional.of(httpsLocation)).join().packLocation(), "HTTPS fragments checked over HTTPS");
    }

    @Test
    void aFragmentLocationThatIsNotOursIsNotFetched() throws Exception {
        PackageRecord p = build(PackageSpec.of("cdn", TargetOs.LINUX, PackageAction.STORE, "/tmp/c"));
        Activation a = server.server().activation().activate(p.id(), Optional.empty(),
                Optional.of("cdn.example.org/teledeploy")).join();
        assertEquals("cdn.example.org/teledeploy", a.packLocation());
    }

    @Test
    void refusalsSayWhatToFix() throws Exception {
        assertEquals("no package 42", refusal("42", Optional.empty(), PackageException.Kind.NOT_FOUND));
        PackageRecord p = build(PackageSpec.of("p", TargetOs.LINUX, PackageAction.STORE, "/tmp/p").withPriority(7));
        assertEquals("priority: 7 (expected: at most DOWNLOAD_PERIOD_LENGTH = 6, or agents never start it)",
                refusal(p.id(), Optional.empty(), PackageException.Kind.INVALID));
        PackageRecord q = build(PackageSpec.of("q", TargetOs.LINUX, PackageAction.STORE, "/tmp/q"));
        assertEquals("fragUrl: http://cdn.example.org/x (expected: host[:port][/path] without scheme or trailing "
                + "slash, e.g. deploy.example.org/download)",
                refusal(q.id(), Optional.of("http://cdn.example.org/x"), PackageException.Kind.INVALID));
        assertTrue(refusal(q.id(), Optional.of("cdn.example.org/x/"), PackageException.Kind.INVALID)
                .startsWith("fragUrl: cdn.example.org/x/ (expected:"));
        assertTrue(server.server().deployments().index().activation(q.id()).isEmpty(), "nothing was activated");
    }

    @Test
    void aMissingFragmentOnDiskIsCaughtBeforeAnyAgentSeesIt() throws Exception {
        PackageRecord p = build(PackageSpec.of("gone", TargetOs.LINUX, PackageAction.STORE, "/tmp/g"));
        Files.delete(server.stateDir().resolve("packages").resolve(p.id()).resolve(p.id() + "-1"));
        String message = refusal(p.id(), Optional.empty(), PackageException.Kind.INVALID);
        assertTrue(message.startsWith("fragUrl: http://127.0.0.1:" + server.server().httpPort() + "/download/" + p.id()
                + "/" + p.id() + "-1 is not reachable as agents will fetch it (HTTP 404)"), message);
    }

    private String refusal(String id, Optional<String> fragUrl, PackageException.Kind kind) {
        CompletionException e = assertThrows(CompletionException.class,
                () -> server.server().activation().activate(id, Optional.empty(), fragUrl).join());
        PackageException cause = (PackageException) e.getCause();
        assertEquals(kind, cause.kind(), cause.getMessage());
        return cause.getMessage();
    }

    private PackageRecord build(PackageSpec spec) throws Exception {
        Path dir = Files.createTempDirectory(work, "src");
        Files.writeString(dir.resolve("file.txt"), spec.name());
        return server.server().packages().build(spec.withFragmentation(Fragmentation.byCount(1)),
                PackageSource.directory(dir)).join();
    }
}
