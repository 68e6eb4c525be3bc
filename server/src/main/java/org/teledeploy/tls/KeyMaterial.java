package org.teledeploy.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * Key pairs and the questions asked about them: generating EC keys with the JDK's own provider, and checking
 * that a private key belongs to a certificate (a mismatched pair would only show up as failed agent handshakes).
 */
final class KeyMaterial {

    private KeyMaterial() {
    }

    /** A fresh EC key pair on a named curve such as {@code secp384r1}. */
    static KeyPair generateEc(String curve, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("tls: cannot generate an EC key on " + curve
                    + " (expected: a JDK with the SunEC provider)", e);
        }
    }

    /** The signature algorithm a key of this kind signs certificates with (SHA-256 for EC and RSA). */
    static String signatureAlgorithm(PrivateKey key) {
        switch (key.getAlgorithm()) {
            case "EC":
                return "SHA256withECDSA";
            case "RSA":
                return "SHA256withRSA";
            case "EdDSA":
            case "Ed25519":
                return "Ed25519";
            default:
                throw new IllegalStateException("tls: cannot sign with a " + key.getAlgorithm()
                        + " key (expected: an EC, RSA or Ed25519 key)");
        }
    }

    /** Whether {@code privateKey} is the private half of {@code publicKey}: signs a probe and verifies it. */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!sameFamily(privateKey.getAlgorithm(), publicKey.getAlgorithm())) {
            return false;
        }
        try {
            String algorithm = signatureAlgorithm(privateKey);
            byte[] probe = "teledeploy key match probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalStateException e) {
            return false;
        }
    }

    private static boolean sameFamily(String a, String b) {
        return a.equals(b) || isEdDsa(a) && isEdDsa(b);
    }

    private static boolean isEdDsa(String algorithm) {
        return "EdDSA".equals(algorithm) || "Ed25519".equals(algorithm);
    }
}
