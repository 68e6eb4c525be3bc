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
import org.teledeploy.packages.PackageAction;
import org.teledeploy.packages.PackageException;
import org.teledeploy.packages.PackageRecord;
import org.teledeploy.packages.PackageSource;
import org.teledeploy.packages.PackageSpec;
import org.teledeploy.packages.TargetOs;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The classic OCS certificate pain, caught at activation: the server is advertised by an IP address its
 * certificate does not name (agents check the IP SAN and would all fail with ERR_DOWNLOAD_INFO).
 */
class CertificateNameActivationTest {

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create().with("tls.hostnames", "localhost");

    @TempDir
    Path work;

    @Test
    void anInfoLocationTheCertificateDoesNotNameIsRefusedWithTheFix() throws Exception {
        Path dir = Files.createDirectories(work.resolve("src"));
        Files.writeString(dir.resolve("a.txt"), "a");
        PackageRecord p = server.server().packages().build(PackageSpec.of("p", TargetOs.LINUX, PackageAction.STORE,
                "/tmp/p"), PackageSource.directory(dir)).join();
        CompletionException e = assertThrows(CompletionException.class,
                () -> server.server().activation().activate(p.id(), Optional.empty(), Optional.empty()).join());
        PackageException cause = (PackageException) e.getCause();
        assertEquals(PackageException.Kind.INVALID, cause.kind());
        assertTrue(cause.getMessage().startsWith("infoUrl: https://127.0.0.1:" + server.server().httpsPort()
                + "/download/" + p.id() + "/info is not reachable as agents will fetch it (TLS: "), cause.getMessage());
        assertTrue(cause.getMessage().endsWith("the certificate must chain to cacert.pem and name this host"
                + " (tls.hostnames))"), cause.getMessage());
    }
}
