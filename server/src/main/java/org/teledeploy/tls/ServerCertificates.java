package org.teledeploy.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate material the HTTPS listener uses: a PEM chain (leaf first), its private key and, when teledeploy
 * generated them, the CA that agents trust. OCS agents keep that {@code cacert.pem} for years, so the generated CA
 * is long-lived and reused forever, while the server certificate it signs is renewed whenever it nears expiry or
 * the host names change.
 */
public final class ServerCertificates {

    /** The CA certificate the admin copies to every agent. */
    public static final String CA_CERTIFICATE = "cacert.pem";
    /** The CA private key; without it no new server certificate can be issued for the agents' CA. */
    public static final String CA_KEY = "ca.key";
    /** The server certificate followed by the CA certificate. */
    public static final String SERVER_CHAIN = "server.pem";
    /** The server private key, PKCS#8 PEM. */
    public static final String SERVER_KEY = "server.key";

    /** A server certificate is renewed once it expires within this time. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);

    private final Path certificateChain;
    private final Path privateKey;
    private final Path caCertificate;
    private final X509Certificate leaf;
    private final boolean generated;

    private ServerCertificates(Path certificateChain, Path privateKey, Path caCertificate, X509Certificate leaf,
            boolean generated) {
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
        this.caCertificate = caCertificate;
        this.leaf = leaf;
        this.generated = generated;
    }

    /**
     * Makes sure {@code tlsDir} holds a CA and a current server certificate for {@code hostnames}: an existing CA
     * is always reused, the server certificate is reused unless it is missing, expires within 30 days, was not
     * issued by the CA, or names other hosts.
     *
     * @throws IllegalStateException if only one of {@code cacert.pem} and {@code ca.key} exists
     * @throws IllegalArgumentException if a host name is malformed or an existing file cannot be parsed
     */
    public static ServerCertificates ensureGenerated(Path tlsDir, List<String> hostnames, Clock clock) {
        if (tlsDir == null) {
            throw new IllegalArgumentException("tls.dir: null (expected: a directory path)");
        }
        if (clock == null) {
            throw new IllegalArgumentException("tls.clock: null (expected: a clock)");
        }
        List<String> names = Hostnames.validate(hostnames);
        AtomicFiles.ensureDirectory(tlsDir);
        Instant now = clock.instant();
        CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
        CertificateIssuer.Issued ca = loadOrCreateCa(tlsDir, names, now, issuer);

        Path chainFile = tlsDir.resolve(SERVER_CHAIN);
        Path keyFile = tlsDir.resolve(SERVER_KEY);
        String reason = renewalReason(chainFile, keyFile, ca.certificate(), names, now);
        X509Certificate leaf;
        if (reason == null) {
            leaf = Pem.readCertificates(chainFile, "tls.dir").get(0);
            LOG.debug("tls: reusing server certificate {} for {}, valid until {}", serial(leaf), names,
                    leaf.getNotAfter().toInstant());
        } else {
            CertificateIssuer.Issued issued = issuer.issueLeaf(ca.certificate(), ca.key(), names, now);
            AtomicFiles.write(keyFile, Pem.encode(issued.key()), AtomicFiles.PRIVATE);
            AtomicFiles.write(chainFile, Pem.encode(issued.certificate(), ca.certificate()), AtomicFiles.PUBLIC);
            leaf = issued.certificate();
            LOG.info("tls: {} server certificate {} for {}, valid until {} ({})",
                    reason.startsWith("missing") ? "created" : "renewed", serial(leaf), names,
                    leaf.getNotAfter().toInstant(), reason);
        }
        return new ServerCertificates(chainFile, keyFile, tlsDir.resolve(CA_CERTIFICATE), leaf, true);
    }

    /**
     * Admin-supplied certificate files: a PEM chain with the server certificate first, and its private key
     * (PKCS#8 {@code PRIVATE KEY}, or {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY}).
     *
     * @throws IllegalArgumentException naming the file that is missing, unparsable or does not match
     */
    public static ServerCertificates fromFiles(Path certChain, Path privateKey) {
        List<X509Certificate> chain = Pem.readCertificates(certChain, "tls.cert");
        PrivateKey key = Pem.readPrivateKey(privateKey, "tls.key");
        X509Certificate leaf = chain.get(0);
        if (!KeyMaterial.matches(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("tls.key: " + privateKey + " (expected: the private key of the first"
                    + " certificate in " + certChain + ", " + leaf.getSubjectX500Principal() + ")");
        }
        // How close its end is, is told by CertificateExpiry (tls.expiry.warning), on the server's clock.
        return new ServerCertificates(certChain, privateKey, null, leaf, false);
    }

    /** The PEM chain: server certificate first, then its issuer(s). */
    public Path certificateChain() {
        return certificateChain;
    }

    /** The PEM private key of the server certificate. */
    public Path privateKey() {
        return privateKey;
    }

    /** The CA certificate to copy to the agents; {@code null} for admin-supplied files. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The server (leaf) certificate. */
    public X509Certificate leaf() {
        return leaf;
    }

    /** Whether teledeploy generated these files (as opposed to the admin supplying them). */
    public boolean generated() {
        return generated;
    }

    /** When the server certificate expires. */
    public Instant leafNotAfter() {
        return leaf.getNotAfter().toInstant();
    }

    /** The chain, read again from disk (leaf first). */
    List<X509Certificate> loadChain() {
        return Pem.readCertificates(certificateChain, generated ? "tls.dir" : "tls.cert");
    }

    /** The private key, read again from disk. */
    PrivateKey loadPrivateKey() {
        return Pem.readPrivateKey(privateKey, generated ? "tls.dir" : "tls.key");
    }

    @Override
    public String toString() {
        return "ServerCertificates[" + certificateChain + ", subject=" + leaf.getSubjectX500Principal()
                + ", notAfter=" + leafNotAfter() + ", generated=" + generated + "]";
    }

    private static CertificateIssuer.Issued loadOrCreateCa(Path tlsDir, List<String> names, Instant now,
            CertificateIssuer issuer) {
        Path certFile = tlsDir.resolve(CA_CERTIFICATE);
        Path keyFile = tlsDir.resolve(CA_KEY);
        boolean haveCert = Files.exists(certFile);
        boolean haveKey = Files.exists(keyFile);
        if (haveCert && haveKey) {
            return loadCa(certFile, keyFile, now);
        }
        if (haveCert) {
            throw new IllegalStateException("tls.dir: " + keyFile + " (expected: the CA private key beside "
                    + certFile + "; agents trust " + CA_CERTIFICATE + ", so no new CA is made silently: restore "
                    + CA_KEY + " from a backup, or delete " + CA_CERTIFICATE
                    + " to create a new CA and copy the new one to every agent)");
        }
        if (haveKey) {
            throw new IllegalStateException("tls.dir: " + certFile + " (expected: the CA certificate beside "
                    + keyFile + "; agents trust " + CA_CERTIFICATE + ", so no new CA is made silently: restore "
                    + CA_CERTIFICATE + " from a backup, or delete " + CA_KEY
                    + " to create a new CA and copy the new one to every agent)");
        }
        CertificateIssuer.Issued ca = issuer.createCa(names.get(0), now);
        AtomicFiles.write(keyFile, Pem.encode(ca.key()), AtomicFiles.PRIVATE);
        AtomicFiles.write(certFile, Pem.encode(ca.certificate()), AtomicFiles.PUBLIC);
        LOG.info("tls: created CA \"{}\", valid until {}; copy {} to every agent",
                ca.certificate().getSubjectX500Principal(), ca.certificate().getNotAfter().toInstant(), certFile);
        return ca;
    }

    private static CertificateIssuer.Issued loadCa(Path certFile, Path keyFile, Instant now) {
        X509Certificate cert = Pem.readCertificates(certFile, "tls.dir").get(0);
        PrivateKey key = Pem.readPrivateKey(keyFile, "tls.dir");
        if (cert.getBasicConstraints() < 0) {
            throw new IllegalStateException("tls.dir: " + certFile + " (expected: a CA certificate, with"
                    + " basicConstraints CA:true; found " + cert.getSubjectX500Principal() + ")");
        }
        if (!KeyMaterial.matches(key, cert.getPublicKey())) {
            throw new IllegalStateException("tls.dir: " + keyFile + " (expected: the private key of " + certFile
                    + ", " + cert.getSubjectX500Principal() + ")");
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        if (!notAfter.isAfter(now)) {
            throw new IllegalStateException("tls.dir: " + certFile + " (expected: a CA that has not expired; it"
                    + " expired on " + notAfter + ": delete " + CA_CERTIFICATE + " and " + CA_KEY
                    + " to create a new CA and copy it to every agent)");
        }
        if (notAfter.isBefore(now.plus(CertificateIssuer.LEAF_VALIDITY))) {
            LOG.warn("tls: CA {} expires on {}; create a new CA and copy it to every agent before then",
                    certFile, notAfter);
        }
        return new CertificateIssuer.Issued(cert, key);
    }

    /** Why the server certificate must be (re)issued, or {@code null} if it can be reused. */
    private static String renewalReason(Path chainFile, Path keyFile, X509Certificate ca, List<String> names,
            Instant now) {
        if (!Files.exists(chainFile)) {
            return "missing " + chainFile;
        }
        if (!Files.exists(keyFile)) {
            return "missing " + keyFile;
        }
        X509Certificate leaf;
        PrivateKey key;
        try {
            leaf = Pem.readCertificates(chainFile, "tls.dir").get(0);
            key = Pem.readPrivateKey(keyFile, "tls.dir");
        } catch (IllegalArgumentException e) {
            return "unreadable: " + e.getMessage();
        }
        if (!issuedBy(leaf, ca)) {
            return "not issued by the CA " + ca.getSubjectX500Principal();
        }
        if (!KeyMaterial.matches(key, leaf.getPublicKey())) {
            return keyFile.getFileName() + " does not match " + chainFile.getFileName();
        }
        try {
            Set<String> have = Hostnames.canonicalSet(leaf);
            Set<String> want = Hostnames.canonicalSet(names);
            if (!have.equals(want)) {
                return "hostnames changed from " + have + " to " + want;
            }
        } catch (CertificateParsingException e) {
            return "unreadable subjectAltName: " + e.getMessage();
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(now.plus(RENEW_BEFORE))) {
            return "expiring on " + notAfter;
        }
        if (leaf.getNotBefore().toInstant().isAfter(now)) {
            return "not valid before " + leaf.getNotBefore().toInstant();
        }
        return null;
    }

    private static boolean issuedBy(X509Certificate leaf, X509Certificate ca) {
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            leaf.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }
}
