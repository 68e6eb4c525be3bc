package org.teledeploy.admin.dashboard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Brute-force damping of the login form: a client (an IP address) with {@code maxFailures} wrong tokens within
 * {@code window} of its first one is refused, without its token even being checked, until that window ends. It
 * never sleeps (the event loop answers at once, a 429); time is the server's {@link Clock}. The counters are
 * bounded: at most {@code capacity} clients are tracked, and a window that ended is forgotten.
 *
 * <p>The token has 256 bits: this is not what keeps it secret, it keeps a script from filling the log and the
 * CPU. The admin listener is on localhost by default, where every client is 127.0.0.1: a local script that
 * tries tokens locks the form for everybody on the machine for one window, which the log line explains.
 */
final class LoginThrottle {

    private record Window(long startedAt, int failures) {}

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Cache<String, Window> windows;

    LoginThrottle(Clock clock, int maxFailures, Duration window, int capacity) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
        this.windows = Caffeine.newBuilder()
                .ticker(Sessions.ticker(clock))
                .expireAfterWrite(window)
                .maximumSize(capacity)
                .executor(Runnable::run)
                .build();
    }

    /** How long {@code client} must still wait before trying again, if it is locked out now. */
    Optional<Duration> lockedFor(String client) {
        Window w = windows.getIfPresent(client);
        if (w == null || w.failures() < maxFailures) {
            return Optional.empty();
        }
        long left = w.startedAt() + window.toMillis() - clock.millis();
        return left > 0 ? Optional.of(Duration.ofMillis(left)) : Optional.empty();
    }

    /** Counts a wrong token; returns the failures of the client's current window. */
    int failed(String client) {
        long now = clock.millis();
        Window w = windows.asMap().compute(client, (k, old) -> old == null || now - old.startedAt() >= window.toMillis()
                ? new Window(now, 1) : new Window(old.startedAt(), old.failures() + 1));
        return w.failures();
    }

    /** A right token clears the client's failures. */
    void succeeded(String client) {
        windows.invalidate(client);
    }

    int maxFailures() {
        return maxFailures;
    }

    Duration window() {
        return window;
    }
}
