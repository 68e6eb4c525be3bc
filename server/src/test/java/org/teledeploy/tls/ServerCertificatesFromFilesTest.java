package org.teledeploy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificatesFromFilesTest {

    @TempDir
    Path dir;

    private Path chain;
    private Path key;

    @BeforeEach
    void generate() {
        ServerCertificates generated = ServerCertificates.ensureGenerated(dir.resolve("tls"),
                List.of("127.0.0.1", "localhost"), Clock.systemUTC());
        chain = generated.certificateChain();
        key = generated.privateKey();
    }

    @Test
    void acceptsAPkcs8KeyAndItsChain() {
        ServerCertificates certs = ServerCertificates.fromFiles(chain, key);

        assertFalse(certs.generated());
        assertNull(certs.caCertificate());
        assertEquals(chain, certs.certificateChain());
        assertEquals(key, certs.privateKey());
        assertEquals(Pem.readCertificates(chain, "test").get(0), certs.leaf());
    }

    @Test
    void acceptsATraditionalEcPrivateKey() throws Exception {
        Path traditional = Files.writeString(dir.resolve("traditional.key"), traditionalEcKey(key, chain));

        ServerCertificates certs = ServerCertificates.fromFiles(chain, traditional);

        assertEquals(traditional, certs.privateKey());
        assertTrue(KeyMaterial.matches(certs.loadPrivateKey(), certs.leaf().getPublicKey()));
    }

    @Test
    void acceptsAnOpensslMadeRsaKeyAndCertificate() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "/usr/bin/openssl is not installed");
        Path rsaCert = dir.resolve("rsa.pem");
        Path rsaKey = dir.resolve("rsa.key");
        Path rsaTraditional = dir.resolve("rsa-traditional.key");
        Processes.Result made = Processes.run("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", rsaKey.toString(), "-out", rsaCert.toString(), "-days", "90", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        assertEquals(0, made.exitCode(), made.output());
        Processes.Result converted = Processes.run("/usr/bin/openssl", "rsa", "-traditional",
                "-in", rsaKey.toString(), "-out", rsaTraditional.toString());
        assertEquals(0, converted.exitCode(), converted.output());
        assertTrue(Files.readString(rsaTraditional).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        assertEquals("RSA", ServerCertificates.fromFiles(rsaCert, rsaKey).leaf().getPublicKey().getAlgorithm());
        assertEquals("RSA", ServerCertificates.fromFiles(rsaCert, rsaTraditional).loadPrivateKey().getAlgorithm());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(chain, rsaTraditional));
        assertTrue(e.getMessage().startsWith("tls.key: " + rsaTraditional + " (expected: the private key of "),
                e.getMessage());
    }

    /** The "EC PRIVATE KEY" (RFC 5915) form of a PKCS#8 key file, with curve and public key, as OpenSSL writes it. */
    static String traditionalEcKey(Path pkcs8File, Path chainFile) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(Pem.readPrivateKey(pkcs8File, "test").getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(
                Pem.readCertificates(chainFile, "test").get(0).getPublicKey().getEncoded());
        ECPrivateKey full = new ECPrivateKey(256, inner.getKey(), publicKey.getPublicKeyData(),
                info.getPrivateKeyAlgorithm().getParameters());
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PemObject("EC PRIVATE KEY", full.getEncoded()));
        }
        return pem.toString();
    }

    @Test
    void namesAMissingCertificateFile() {
        Path missing = dir.resolve("missing.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(missing, key));
        assertEquals("tls.cert: " + missing + " (expected: a readable PEM file)", e.getMessage());
    }

    @Test
    void namesAMissingKeyFile() {
        Path missing = dir.resolve("missing.key");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(chain, missing));
        assertEquals("tls.key: " + missing + " (expected: a readable PEM file)", e.getMessage());
    }

    @Test
    void namesADirectoryGivenAsCertificate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(dir, key));
        assertEquals("tls.cert: " + dir + " (expected: a readable PEM file)", e.getMessage());
    }

    @Test
    void namesACertificateFileThatIsNotPem() throws Exception {
        Path notPem = Files.writeString(dir.resolve("server.txt"), "this is not a certificate\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(notPem, key));
        assertEquals("tls.cert: " + notPem + " (expected: a PEM file with at least one X.509 certificate)",
                e.getMessage());
    }

    @Test
    void namesADerCertificateFile() throws Exception {
        Path der = Files.write(dir.resolve("server.der"), Pem.readCertificates(chain, "test").get(0).getEncoded());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(der, key));
        assertEquals("tls.cert: " + der + " (expected: a PEM file with at least one X.509 certificate)",
                e.getMessage());
    }

    @Test
    void namesACertificateFileThatHoldsOnlyAKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(key, key));
        assertEquals("tls.cert: " + key + " (expected: a PEM file with at least one X.509 certificate)",
                e.getMessage());
    }

    @Test
    void namesACorruptPemBlock() throws Exception {
        Path corrupt = Files.writeString(dir.resolve("corrupt.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(corrupt, key));
        assertTrue(e.getMessage().startsWith("tls.cert: " + corrupt + " (expected: PEM X.509 certificates; "),
                e.getMessage());
    }

    @Test
    void namesAKeyFileThatIsNotPem() throws Exception {
        Path notPem = Files.writeString(dir.resolve("key.txt"), "not a key\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(chain, notPem));
        assertEquals("tls.key: " + notPem + " (expected: a PEM file with a \"PRIVATE KEY\", \"EC PRIVATE KEY\""
                + " or \"RSA PRIVATE KEY\" block)", e.getMessage());
    }

    @Test
    void namesAKeyThatBelongsToAnotherCertificate() {
        Path otherKey = ServerCertificates.ensureGenerated(dir.resolve("other"), List.of("localhost"),
                Clock.systemUTC()).privateKey();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(chain, otherKey));
        assertEquals("tls.key: " + otherKey + " (expected: the private key of the first certificate in " + chain
                + ", CN=127.0.0.1)", e.getMessage());
    }

    @Test
    void namesTheCaKeyGivenInsteadOfTheServerKey() {
        Path caKey = dir.resolve("tls").resolve("ca.key");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.fromFiles(chain, caKey));
        assertTrue(e.getMessage().startsWith("tls.key: " + caKey + " (expected: the private key of "),
                e.getMessage());
    }
}
