package org.teledeploy.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the two certificates teledeploy generates: a long-lived CA that agents keep for years, and a short-lived
 * server certificate it signs, which can be renewed without touching the agents. BouncyCastle only assembles the
 * DER; the JDK's providers generate the keys and sign.
 */
final class CertificateIssuer {

    /** Certificates are back-dated so that agents whose clocks run a little slow accept them at once. */
    static final Duration BACKDATE = Duration.ofHours(1);
    static final int CA_VALIDITY_YEARS = 20;
    static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    private static final int MAX_CN_LENGTH = 64;

    /** A certificate together with its private key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private final SecureRandom random;

    CertificateIssuer(SecureRandom random) {
        this.random = random;
    }

    /** A self-signed ECDSA P-384 CA, valid for 20 years, that may sign end-entity certificates only. */
    Issued createCa(String firstHostname, Instant now) {
        KeyPair keys = KeyMaterial.generateEc("secp384r1", random);
        byte[] tag = new byte[4];
        random.nextBytes(tag);
        String suffix = " " + HexFormat.of().formatHex(tag);
        String prefix = "teledeploy CA ";
        String host = truncate(firstHostname, MAX_CN_LENGTH - prefix.length() - suffix.length());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "teledeploy")
                .addRDN(BCStyle.CN, prefix + host + suffix)
                .build();
        Instant notBefore = seconds(now.minus(BACKDATE));
        Instant notAfter = seconds(now.atZone(ZoneOffset.UTC).plusYears(CA_VALIDITY_YEARS).toInstant());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(builder, keys.getPrivate(), "SHA384withECDSA"), keys.getPrivate());
        } catch (CertIOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("tls: cannot build the CA certificate", e);
        }
    }

    /**
     * An ECDSA P-256 server certificate for {@code hostnames}, signed by {@code ca}, valid for 397 days (never
     * beyond the CA). Each name becomes an IP or a DNS subjectAltName entry.
     */
    Issued issueLeaf(X509Certificate ca, PrivateKey caKey, List<String> hostnames, Instant now) {
        KeyPair keys = KeyMaterial.generateEc("secp256r1", random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, truncate(hostnames.get(0), MAX_CN_LENGTH))
                .build();
        Instant notBefore = seconds(now.minus(BACKDATE));
        Instant notAfter = seconds(now.plus(LEAF_VALIDITY));
        Instant caNotAfter = ca.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, Hostnames.subjectAltNames(hostnames))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new AuthorityKeyIdentifier(keyIdentifier(ca, utils)));
            return new Issued(sign(builder, caKey, KeyMaterial.signatureAlgorithm(caKey)), keys.getPrivate());
        } catch (CertIOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("tls: cannot build the server certificate", e);
        }
    }

    /** The CA's own subjectKeyIdentifier when it has one (an admin's CA may use another method), else computed. */
    private static byte[] keyIdentifier(X509Certificate ca, JcaX509ExtensionUtils utils) {
        byte[] extension = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                    .getKeyIdentifier();
        }
        PublicKey publicKey = ca.getPublicKey();
        return utils.createSubjectKeyIdentifier(publicKey).getKeyIdentifier();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String algorithm) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("tls: cannot sign a certificate with " + algorithm, e);
        }
    }

    /** A random positive 128-bit serial number. */
    private BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() <= 0);
        return serial;
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
