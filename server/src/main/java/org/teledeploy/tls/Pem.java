package org.teledeploy.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files of the TLS setup. BouncyCastle parses the PEM structure, while the JDK's own
 * providers build the key and certificate objects: the BC security provider is never registered, so the shaded
 * fat jar works although it drops BC's jar signature.
 */
final class Pem {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    /** All certificates in a PEM file, in file order; at least one. */
    static List<X509Certificate> readCertificates(Path file, String setting) {
        requireReadable(file, setting);
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder) {
                    certificates.add(converter.getCertificate((X509CertificateHolder) object));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new IllegalArgumentException(
                    setting + ": " + file + " (expected: PEM X.509 certificates; " + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(
                    setting + ": " + file + " (expected: a PEM file with at least one X.509 certificate)");
        }
        return certificates;
    }

    /** The first private key in a PEM file: PKCS#8 "PRIVATE KEY", or "EC PRIVATE KEY" / "RSA PRIVATE KEY". */
    static PrivateKey readPrivateKey(Path file, String setting) {
        requireReadable(file, setting);
        Object found = firstKeyObject(file, setting);
        if (found == null) {
            throw new IllegalArgumentException(setting + ": " + file + " (expected: a PEM file with a \"PRIVATE KEY\","
                    + " \"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\" block)");
        }
        if (found instanceof PKCS8EncryptedPrivateKeyInfo || found instanceof PEMEncryptedKeyPair) {
            throw new IllegalArgumentException(
                    setting + ": " + file + " (expected: an unencrypted private key, found an encrypted one)");
        }
        // Only the private part of a key pair: an "EC PRIVATE KEY" block may omit its optional public key.
        PrivateKeyInfo info = found instanceof PEMKeyPair
                ? ((PEMKeyPair) found).getPrivateKeyInfo()
                : (PrivateKeyInfo) found;
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(setting + ": " + file
                    + " (expected: an EC, RSA or Ed25519 private key the JDK can load; " + e.getMessage() + ")", e);
        }
    }

    private static Object firstKeyObject(Path file, String setting) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair
                        || object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                    return object;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(setting + ": " + file
                    + " (expected: a PEM private key, PKCS#8 or EC/RSA; " + e.getMessage() + ")", e);
        }
    }

    static byte[] encode(X509Certificate... certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                block(pem, "CERTIFICATE", certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("tls: cannot encode certificate " + certificate.getSubjectX500Principal(), e);
            }
        }
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** PKCS#8 "PRIVATE KEY", the form Netty, OpenSSL and the JDK all read without help. */
    static byte[] encode(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalStateException("tls: cannot encode a " + key.getAlgorithm() + " key in " + key.getFormat()
                    + " (expected: PKCS#8)");
        }
        StringBuilder pem = new StringBuilder();
        block(pem, "PRIVATE KEY", key.getEncoded());
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void block(StringBuilder pem, String type, byte[] der) {
        pem.append("-----BEGIN ").append(type).append("-----\n")
                .append(BASE64.encodeToString(der)).append('\n')
                .append("-----END ").append(type).append("-----\n");
    }

    static void requireReadable(Path file, String setting) {
        if (file == null) {
            throw new IllegalArgumentException(setting + ": null (expected: the path of a readable PEM file)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(setting + ": " + file + " (expected: a readable PEM file)");
        }
    }
}
