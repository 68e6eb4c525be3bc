package org.teledeploy.tls;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Client side of the handshake tests: a JDK client that trusts exactly one CA file, and a raw ClientHello. */
public final class TlsClients {

    static final int TIMEOUT_MILLIS = 10_000;

    /** What one connection read, and what it negotiated. */
    record Response(String body, String protocol, String cipherSuite) {
    }

    private TlsClients() {
    }

    /** A client context whose only trust anchor is {@code caPem}, as an OCS agent with its cacert.pem. */
    public static SSLContext trustingOnly(Path caPem) throws IOException, GeneralSecurityException {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("teledeploy-ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** Connects to 127.0.0.1:port, verifying the certificate for {@code host} (HTTPS rules), reads until EOF. */
    static Response fetch(SSLContext context, String host, int port, String... protocols) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(TestTlsServer.loopback(), port), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (protocols.length > 0) {
                    parameters.setProtocols(protocols);
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                String body = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                return new Response(body, socket.getSession().getProtocol(), socket.getSession().getCipherSuite());
            }
        } finally {
            plain.close();
        }
    }

    /**
     * Sends a hand-made ClientHello offering only {@code version} (0x0301 TLS 1.0, 0x0302 TLS 1.1, 0x0303 TLS 1.2)
     * and returns the server's first record as "alert LEVEL DESCRIPTION", "handshake" (its ServerHello) or "eof".
     * The JDK client cannot be used for this: jdk.tls.disabledAlgorithms stops it from even sending TLS 1.0/1.1.
     */
    static String rawHello(int port, int version) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(TestTlsServer.loopback(), port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(clientHelloRecord(version));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            try {
                int type = in.readUnsignedByte();
                in.readUnsignedShort(); // record version
                int length = in.readUnsignedShort();
                byte[] fragment = new byte[length];
                in.readFully(fragment);
                if (type == 21 && length >= 2) {
                    return "alert " + fragment[0] + " " + fragment[1];
                }
                return type == 22 ? "handshake" : "record " + type;
            } catch (EOFException e) {
                return "eof";
            }
        }
    }

    private static byte[] clientHelloRecord(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // empty session id
        int[] suites = version >= 0x0303
                ? new int[] {0xC02B, 0xC02C, 0xC02F, 0xC030, 0xC009, 0xC013, 0x002F}
                : new int[] {0xC009, 0xC00A, 0xC013, 0xC014, 0x002F, 0x0035, 0x000A};
        u16(body, suites.length * 2);
        for (int suite : suites) {
            u16(body, suite);
        }
        body.write(1); // one compression method: null
        body.write(0);
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        u16(extensions, 0x000A); // supported_groups: secp256r1, secp384r1
        u16(extensions, 6);
        u16(extensions, 4);
        u16(extensions, 0x0017);
        u16(extensions, 0x0018);
        u16(extensions, 0x000B); // ec_point_formats: uncompressed
        u16(extensions, 2);
        extensions.write(1);
        extensions.write(0);
        u16(extensions, 0x000D); // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
        u16(extensions, 8);
        u16(extensions, 6);
        u16(extensions, 0x0403);
        u16(extensions, 0x0804);
        u16(extensions, 0x0401);
        u16(extensions, 0xFF01); // renegotiation_info: empty
        u16(extensions, 1);
        extensions.write(0);
        u16(body, extensions.size());
        body.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // client_hello
        u24(handshake, body.size());
        handshake.writeBytes(body.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22); // handshake
        u16(record, 0x0301);
        u16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void u24(ByteArrayOutputStream out, int value) {
        out.write(value >>> 16);
        u16(out, value);
    }
}
