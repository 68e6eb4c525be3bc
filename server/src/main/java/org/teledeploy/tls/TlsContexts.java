package org.teledeploy.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Netty {@link SslContext} of the HTTPS listener: TLS 1.3 and 1.2 only, forward-secret AEAD cipher
 * suites only, and a session cache so that agents fetching many package fragments resume instead of redoing the
 * full handshake each time.
 */
public final class TlsContexts {

    /** The only protocols offered; TLS 1.0 and 1.1 handshakes are refused with a protocol_version alert. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The cipher suites offered, in preference order. TLS 1.3 suites are all AEAD; for TLS 1.2 only ECDHE with
     * AES-GCM or ChaCha20-Poly1305 (Netty's defaults would also allow CBC and static-RSA suites). Both ECDSA and
     * RSA variants are listed so admin-supplied RSA certificates keep working.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Sessions kept for resumption; a few KB each, so this costs a few tens of MB at most. */
    public static final long SESSION_CACHE_SIZE = 10_000;
    /** How long a session can be resumed, in seconds. */
    public static final long SESSION_TIMEOUT_SECONDS = 3_600;

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * A server context for {@code certs}, using {@code provider}.
     *
     * @throws IllegalStateException if {@link TlsProvider#OPENSSL} is asked for but netty-tcnative cannot load
     */
    public static SslContext forServer(ServerCertificates certs, TlsProvider provider) {
        if (certs == null) {
            throw new IllegalArgumentException("tls.certificates: null (expected: server certificates)");
        }
        if (provider == null) {
            throw new IllegalArgumentException("tls.provider: null (expected: one of auto, openssl, jdk)");
        }
        SslProvider sslProvider = resolve(provider);
        List<X509Certificate> chain = certs.loadChain();
        PrivateKey key = certs.loadPrivateKey();
        SslContext context;
        try {
            context = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(sslProvider)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    .clientAuth(ClientAuth.NONE)
                    .sessionCacheSize(SESSION_CACHE_SIZE)
                    .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("tls: " + certs.certificateChain() + " (expected: a certificate and key"
                    + " the " + sslProvider + " TLS provider accepts; " + e.getMessage() + ")", e);
        }
        LOG.info("tls: {} for {}, valid until {}", describe(context), certs.leaf().getSubjectX500Principal(),
                certs.leafNotAfter());
        return context;
    }

    /** One line for the log: the implementation and its version, protocols and cipher suites. */
    public static String describe(SslContext context) {
        String implementation = context instanceof ReferenceCountedOpenSslContext
                ? "OPENSSL (" + OpenSsl.versionString() + ")"
                : "JDK (Java " + System.getProperty("java.version") + ")";
        return implementation + ", protocols " + PROTOCOLS + ", cipher suites " + context.cipherSuites()
                + ", session cache " + context.sessionCacheSize() + " for " + context.sessionTimeout() + " s";
    }

    private static SslProvider resolve(TlsProvider provider) {
        switch (provider) {
            case JDK:
                return SslProvider.JDK;
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("tls.provider: openssl (expected: netty-tcnative BoringSSL to"
                            + " load on this platform; " + OpenSsl.unavailabilityCause() + ")",
                            OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            case AUTO:
            default:
                if (OpenSsl.isAvailable()) {
                    return SslProvider.OPENSSL;
                }
                LOG.warn("tls: netty-tcnative BoringSSL is not available, falling back to the JDK TLS provider: {}",
                        String.valueOf(OpenSsl.unavailabilityCause()));
                return SslProvider.JDK;
        }
    }
}
