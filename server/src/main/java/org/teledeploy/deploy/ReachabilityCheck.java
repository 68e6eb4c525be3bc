package org.teledeploy.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.teledeploy.packages.FragmentProtocol;
import org.teledeploy.packages.PackageCatalog;
import org.teledeploy.packages.PackageException;
import org.teledeploy.packages.PackageRecord;

/**
 * Fetches a package's info file and first fragment from the locations agents will be given, as agents will: the
 * info over HTTPS trusting only the CA agents are given ({@code cacert.pem}) with the host name checked against
 * the certificate, the fragment with the package's scheme. It catches before any agent does a listener that is
 * off, a certificate that does not name the advertised host, or a file that is not there.
 */
public final class ReachabilityCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PackageCatalog catalog;
    private final HttpClient client;

    private ReachabilityCheck(PackageCatalog catalog, HttpClient client) {
        this.catalog = catalog;
        this.client = client;
    }

    /**
     * @param caCertificate the CA agents trust, or null when the admin supplied the certificate (the JVM's trust
     *     store is used then)
     */
    public static ReachabilityCheck create(PackageCatalog catalog, Path caCertificate) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (caCertificate != null) {
            builder.sslContext(trusting(caCertificate));
        }
        return new ReachabilityCheck(catalog, builder.build());
    }

    private static SSLContext trusting(Path caCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("agents-ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caCertificate))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the agents' CA " + caCertificate + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the info file at {@code infoLocation} and fragment 1 at {@code packLocation}; a null location is not
     * checked.
     *
     * @return completes when both are there; fails with {@link PackageException} (INVALID) saying what is wrong
     */
    public CompletableFuture<Void> verify(PackageRecord record, String infoLocation, String packLocation) {
        CompletableFuture<Void> info = infoLocation == null ? CompletableFuture.completedFuture(null)
                : catalog.info(record.id()).thenCompose(expected -> {
                    URI uri = URI.create("https://" + infoLocation + "/" + record.id() + "/info");
                    return send(HttpRequest.newBuilder(uri).GET(), "infoUrl", uri).thenAccept(r -> {
                        if (!Arrays.equals(r.body(), expected.bytes())) {
                            throw unreachable("infoUrl", uri, "it serves other content than package " + record.id());
                        }
                    });
                });
        if (packLocation == null || record.commandOnly()) {
            return info;
        }
        String scheme = record.spec().protocol() == FragmentProtocol.HTTPS ? "https" : "http";
        URI uri = URI.create(scheme + "://" + packLocation + "/" + record.id() + "/" + record.id() + "-1");
        long size = catalog.find(record.id()).map(p -> p.fragmentSize(1)).orElse(-1L);
        CompletableFuture<Void> fragment = send(HttpRequest.newBuilder(uri).method("HEAD",
                HttpRequest.BodyPublishers.noBody()), "fragUrl", uri).thenAccept(r -> {
                    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                    if (length != size) {
                        throw unreachable("fragUrl", uri, "Content-Length " + length + ", expected " + size);
                    }
                });
        return info.thenCombine(fragment, (a, b) -> null);
    }

    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest.Builder request, String field, URI uri) {
        return client.sendAsync(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw unreachable(field, uri, describe(cause));
                    }
                    if (response.statusCode() != 200) {
                        throw unreachable(field, uri, "HTTP " + response.statusCode());
                    }
                    return response;
                });
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof javax.net.ssl.SSLException || message.toLowerCase(Locale.ROOT).contains("certificate")
                || message.contains("PKIX") || message.contains("subject alternative")) {
            return "TLS: " + message + "; the certificate must chain to cacert.pem and name this host (tls.hostnames)";
        }
        return message;
    }

    private static PackageException unreachable(String field, URI uri, String why) {
        return new PackageException(PackageException.Kind.INVALID, field + ": " + uri + " is not reachable as agents"
                + " will fetch it (" + why + ")");
    }
}
