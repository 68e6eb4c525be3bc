package org.teledeploy.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tls.expiry.warning}: a WARN line when the certificate served on HTTPS expires within the window, checked
 * when a certificate is loaded (start, reload) and once a day (by the server's clock) while it is served. Agents
 * refuse an expired certificate (ERR_DOWNLOAD_INFO): the line, like the {@code teledeploy_tls_certificate_not_after}
 * gauge and its alert, gives the admin the time to replace it.
 */
public final class CertificateExpiry {

    private static final Logger log = LoggerFactory.getLogger(CertificateExpiry.class);
    private static final Duration EVERY = Duration.ofDays(1);

    private final Duration window;
    private final String windowText;
    private final Clock clock;
    /** When the daily check is due next; guarded by this. */
    private Instant nextCheck = Instant.MIN;

    /**
     * @param window warn when the certificate expires within it; zero turns the warning off
     * @param windowText the window as configured, for the log line
     */
    public CertificateExpiry(Duration window, String windowText, Clock clock) {
        this.window = window;
        this.windowText = windowText;
        this.clock = clock;
    }

    /** Checks a certificate just loaded (at start or at a reload). */
    public synchronized void loaded(ServerCertificates certificates) {
        check(certificates);
        nextCheck = clock.instant().plus(EVERY);
    }

    /** Checks the certificate in use if a day has passed since the last check; called often, cheap otherwise. */
    public synchronized void daily(ServerCertificates certificates) {
        if (clock.instant().isBefore(nextCheck)) {
            return;
        }
        check(certificates);
        nextCheck = clock.instant().plus(EVERY);
    }

    private void check(ServerCertificates certificates) {
        if (window.isZero()) {
            return;
        }
        Instant now = clock.instant();
        Instant notAfter = certificates.leafNotAfter();
        if (!notAfter.isBefore(now.plus(window))) {
            return;
        }
        String when = notAfter.isAfter(now)
                ? "expires on " + notAfter + ", in " + Duration.between(now, notAfter).toDays() + " days"
                : "expired on " + notAfter;
        String what = certificates.generated()
                ? "teledeployd renews its generated certificate " + ServerCertificates.RENEW_BEFORE.toDays()
                        + " days before it expires: the renewal has failed (see the errors logged), systemctl"
                        + " reload teledeployd retries"
                : "replace " + certificates.certificateChain() + " and " + certificates.privateKey()
                        + ", then systemctl reload teledeployd";
        log.warn("tls: the server certificate {} (serial {}) {} (tls.expiry.warning = {}); agents refuse it once it"
                        + " has expired: {}", certificates.leaf().getSubjectX500Principal(),
                certificates.leaf().getSerialNumber().toString(16), when, windowText, what);
    }
}
