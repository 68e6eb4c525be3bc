package org.teledeploy.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificatesTest {

    private static final List<String> HOSTS = List.of("127.0.0.1", "localhost", "deploy.example.test");
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void generatesLongLivedCaAndServerCertificateForEveryHostname() throws Exception {
        ServerCertificates certs = ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK);

        X509Certificate ca = Pem.readCertificates(dir.resolve("cacert.pem"), "test").get(0);
        ca.verify(ca.getPublicKey());
        assertEquals(0, ca.getBasicConstraints(), "CA:true, pathLen 0");
        assertTrue(ca.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        assertTrue(ca.getKeyUsage()[5] && ca.getKeyUsage()[6], "keyCertSign and cRLSign");
        assertFalse(ca.getKeyUsage()[0], "no digitalSignature on the CA");
        assertTrue(ca.getExtensionValue("2.5.29.14") != null, "subjectKeyIdentifier");
        assertEquals(384, ((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals("SHA384withECDSA", ca.getSigAlgName());
        assertTrue(ca.getSubjectX500Principal().getName().matches("CN=teledeploy CA 127\\.0\\.0\\.1 [0-9a-f]{8},O=teledeploy"),
                ca.getSubjectX500Principal().getName());
        Duration caValidity = Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant());
        assertTrue(caValidity.compareTo(Duration.ofDays(19 * 365)) >= 0, "CA valid for " + caValidity);
        assertTrue(ca.getNotBefore().toInstant().isBefore(NOW), "back-dated for slow agent clocks");
        assertTrue(ca.getSerialNumber().signum() > 0 && ca.getSerialNumber().bitLength() > 64);

        List<X509Certificate> chain = Pem.readCertificates(dir.resolve("server.pem"), "test");
        assertEquals(2, chain.size(), "server.pem holds the leaf, then the CA");
        assertEquals(ca, chain.get(1));
        X509Certificate leaf = chain.get(0);
        leaf.verify(ca.getPublicKey());
        assertEquals(leaf, certs.leaf());
        assertEquals(ca.getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals(Set.of(List.of(7, "127.0.0.1"), List.of(2, "localhost"), List.of(2, "deploy.example.test")),
                Set.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals("CN=127.0.0.1", leaf.getSubjectX500Principal().getName());
        assertEquals(-1, leaf.getBasicConstraints(), "CA:false");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage(), "serverAuth");
        assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
        assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.15"), "keyUsage critical");
        assertTrue(leaf.getExtensionValue("2.5.29.35") != null, "authorityKeyIdentifier");
        assertEquals(256, ((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals("SHA256withECDSA", leaf.getSigAlgName());
        assertEquals(NOW.plus(Duration.ofDays(397)), leaf.getNotAfter().toInstant());
        assertEquals(NOW.minus(Duration.ofHours(1)), leaf.getNotBefore().toInstant());
        assertEquals(leaf.getNotAfter().toInstant(), certs.leafNotAfter());
        assertNotEquals(ca.getSerialNumber(), leaf.getSerialNumber());

        assertTrue(certs.generated());
        assertEquals(dir.resolve("server.pem"), certs.certificateChain());
        assertEquals(dir.resolve("server.key"), certs.privateKey());
        assertEquals(dir.resolve("cacert.pem"), certs.caCertificate());
        assertTrue(Files.readString(dir.resolve("server.key")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(dir.resolve("ca.key")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    }

    @Test
    void keysArePrivateAndNoTemporaryFileIsLeft() throws Exception {
        assumeTrue(AtomicFiles.isPosix(dir), "POSIX file permissions");
        Path tls = dir.resolve("etc/tls");
        ServerCertificates.ensureGenerated(tls, HOSTS, CLOCK);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("server.key"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("cacert.pem"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("server.pem"))));
        try (Stream<Path> files = Files.list(tls)) {
            assertEquals(Set.of("ca.key", "cacert.pem", "server.key", "server.pem"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void secondCallReusesEveryFile() throws Exception {
        ServerCertificates first = ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK);
        Map<String, byte[]> before = snapshot();

        ServerCertificates second = ServerCertificates.ensureGenerated(dir,
                List.of("localhost", "deploy.example.test", "127.0.0.1"), Clock.offset(CLOCK, Duration.ofDays(360)));

        assertSameBytes(before, "cacert.pem", "ca.key", "server.pem", "server.key");
        assertEquals(first.leaf(), second.leaf());
    }

    @Test
    void renewsTheLeafNearExpiryWithTheSameCa() throws Exception {
        ServerCertificates first = ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK);
        Map<String, byte[]> before = snapshot();

        Clock later = Clock.offset(CLOCK, Duration.ofDays(380));
        ServerCertificates renewed = ServerCertificates.ensureGenerated(dir, HOSTS, later);

        assertSameBytes(before, "cacert.pem", "ca.key");
        assertFalse(Arrays.equals(before.get("server.pem"), Files.readAllBytes(dir.resolve("server.pem"))));
        assertFalse(Arrays.equals(before.get("server.key"), Files.readAllBytes(dir.resolve("server.key"))));
        assertNotEquals(first.leaf().getSerialNumber(), renewed.leaf().getSerialNumber());
        X509Certificate ca = Pem.readCertificates(dir.resolve("cacert.pem"), "test").get(0);
        renewed.leaf().verify(ca.getPublicKey());
        assertEquals(later.instant().plus(Duration.ofDays(397)), renewed.leafNotAfter());
        assertEquals(renewed.leaf(), Pem.readCertificates(dir.resolve("server.pem"), "test").get(0));
        assertTrue(KeyMaterial.matches(Pem.readPrivateKey(dir.resolve("server.key"), "test"),
                renewed.leaf().getPublicKey()));
    }

    @Test
    void renewsTheLeafWhenHostnamesChangeWithTheSameCa() throws Exception {
        ServerCertificates first = ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK);
        Map<String, byte[]> before = snapshot();

        ServerCertificates renewed = ServerCertificates.ensureGenerated(dir,
                List.of("127.0.0.1", "localhost", "deploy2.example.test"), CLOCK);

        assertSameBytes(before, "cacert.pem", "ca.key");
        assertNotEquals(first.leaf().getSerialNumber(), renewed.leaf().getSerialNumber());
        assertEquals(Set.of(List.of(7, "127.0.0.1"), List.of(2, "localhost"), List.of(2, "deploy2.example.test")),
                Set.copyOf(renewed.leaf().getSubjectAlternativeNames()));
    }

    @Test
    void renewsALeafThatAnotherCaIssued() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        Path mine = Files.createDirectory(dir.resolve("mine"));
        ServerCertificates.ensureGenerated(other, HOSTS, CLOCK);
        ServerCertificates.ensureGenerated(mine, HOSTS, CLOCK);
        Files.copy(other.resolve("server.pem"), mine.resolve("server.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.resolve("server.key"), mine.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ServerCertificates renewed = ServerCertificates.ensureGenerated(mine, HOSTS, CLOCK);

        X509Certificate ca = Pem.readCertificates(mine.resolve("cacert.pem"), "test").get(0);
        renewed.leaf().verify(ca.getPublicKey());
    }

    @Test
    void ipv6LiteralsBecomeIpEntriesWhateverTheirSpelling() throws Exception {
        ServerCertificates first = ServerCertificates.ensureGenerated(dir, List.of("::1", "localhost"), CLOCK);
        assertEquals(Set.of(List.of(7, "0:0:0:0:0:0:0:1"), List.of(2, "localhost")),
                Set.copyOf(first.leaf().getSubjectAlternativeNames()));

        ServerCertificates again = ServerCertificates.ensureGenerated(dir,
                List.of("0:0:0:0:0:0:0:1", "LOCALHOST"), CLOCK);
        assertEquals(first.leaf(), again.leaf());
    }

    @Test
    void refusesToReplaceACaWhoseKeyIsMissing() throws Exception {
        ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK);
        byte[] caBefore = Files.readAllBytes(dir.resolve("cacert.pem"));
        Files.delete(dir.resolve("ca.key"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK));

        assertTrue(e.getMessage().startsWith("tls.dir: " + dir.resolve("ca.key") + " (expected: "), e.getMessage());
        assertTrue(e.getMessage().contains("agents trust cacert.pem"), e.getMessage());
        assertArrayEquals(caBefore, Files.readAllBytes(dir.resolve("cacert.pem")));
        assertFalse(Files.exists(dir.resolve("ca.key")));
    }

    @Test
    void refusesToReplaceACaWhoseCertificateIsMissing() throws Exception {
        ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK);
        Files.delete(dir.resolve("cacert.pem"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServerCertificates.ensureGenerated(dir, HOSTS, CLOCK));

        assertTrue(e.getMessage().startsWith("tls.dir: " + dir.resolve("cacert.pem") + " (expected: "), e.getMessage());
        assertFalse(Files.exists(dir.resolve("cacert.pem")));
    }

    @Test
    void refusesACaKeyThatDoesNotMatch() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        Path mine = Files.createDirectory(dir.resolve("mine"));
        ServerCertificates.ensureGenerated(other, HOSTS, CLOCK);
        ServerCertificates.ensureGenerated(mine, HOSTS, CLOCK);
        Files.copy(other.resolve("ca.key"), mine.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServerCertificates.ensureGenerated(mine, HOSTS, CLOCK));
        assertTrue(e.getMessage().startsWith("tls.dir: " + mine.resolve("ca.key") + " (expected: the private key of "),
                e.getMessage());
    }

    @Test
    void rejectsMalformedHostnames() {
        List<List<String>> bad = new ArrayList<>();
        bad.add(List.of());
        bad.add(List.of("localhost", " "));
        bad.add(List.of("deploy server"));
        bad.add(List.of("localhost", "LOCALHOST"));
        bad.add(List.of("https://deploy.example.test"));
        bad.add(null);
        for (List<String> hostnames : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerCertificates.ensureGenerated(dir, hostnames, CLOCK), String.valueOf(hostnames));
            assertTrue(e.getMessage().startsWith("tls.hostnames: "), e.getMessage());
            assertTrue(e.getMessage().contains(" (expected: "), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("cacert.pem")), "nothing generated for bad input");
    }

    @Test
    void opensslVerifiesTheChainAsAnAgentWould() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "/usr/bin/openssl is not installed");
        ServerCertificates.ensureGenerated(dir, HOSTS, Clock.systemUTC());
        String ca = dir.resolve("cacert.pem").toString();
        String chain = dir.resolve("server.pem").toString();

        assertEquals(0, Processes.run("/usr/bin/openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                "-CAfile", ca, chain).exitCode());
        assertEquals(0, Processes.run("/usr/bin/openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                "-verify_ip", "127.0.0.1", "-CAfile", ca, chain).exitCode());
        assertEquals(0, Processes.run("/usr/bin/openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                "-verify_hostname", "localhost", "-CAfile", ca, chain).exitCode());
        assertNotEquals(0, Processes.run("/usr/bin/openssl", "verify", "-verify_ip", "127.0.0.2",
                "-CAfile", ca, chain).exitCode(), "a name not in the certificate must fail");
    }

    private Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> bytes = new HashMap<>();
        for (String name : List.of("cacert.pem", "ca.key", "server.pem", "server.key")) {
            bytes.put(name, Files.readAllBytes(dir.resolve(name)));
        }
        return bytes;
    }

    private void assertSameBytes(Map<String, byte[]> before, String... names) throws IOException {
        for (String name : names) {
            assertArrayEquals(before.get(name), Files.readAllBytes(dir.resolve(name)), name + " changed");
            assertTrue(new String(before.get(name), StandardCharsets.US_ASCII).startsWith("-----BEGIN "), name);
        }
    }
}
