package org.teledeploy.admin.dashboard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's sessions, in memory only (a restart signs everybody out): a session is a random 32-byte id,
 * known to the browser as its cookie and here only by its SHA-256 (a lookup's timing says nothing about the ids
 * held, and a heap dump holds no usable cookie). A session ends after {@code idle} without a request, as the
 * server's {@link Clock} tells (tests move it), or at logout; at most {@code capacity} are kept, the least
 * recently used going first.
 */
final class Sessions {

    /** What a session remembers. */
    record Session(String client, long createdAt) {}

    private static final int ID_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Cache<String, Session> sessions;

    Sessions(Clock clock, Duration idle, int capacity) {
        this.clock = clock;
        this.sessions = Caffeine.newBuilder()
                .ticker(ticker(clock))
                .expireAfterAccess(idle)
                .maximumSize(capacity)
                .executor(Runnable::run)
                .build();
    }

    /** The server's clock as a Caffeine ticker (nanoseconds), so that expiry follows the clock tests move. */
    static Ticker ticker(Clock clock) {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    /** Starts a session; returns its id (43 URL-safe characters), the cookie's value. */
    String create(String client) {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(hash(id), new Session(client, clock.millis()));
        return id;
    }

    /** The live session of a cookie value (its idle time starts again), if any. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        return Optional.ofNullable(sessions.getIfPresent(hash(id)));
    }

    /** Ends a session (logout); nothing if it is unknown. */
    void remove(String id) {
        if (id != null && !id.isEmpty() && id.length() <= 128) {
            sessions.invalidate(hash(id));
        }
    }

    long size() {
        sessions.cleanUp();
        return sessions.estimatedSize();
    }

    private static String hash(String id) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
