package org.teledeploy.admin;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.deploy.GroupException;
import org.teledeploy.packages.PackageException;
import org.teledeploy.store.StoreException;
import org.teledeploy.store.StoreUnavailableException;

/**
 * Turns whatever a service failed with into the {@link ApiException} the client gets, with the status table of
 * docs/admin-api.md, and logs one line per error (with the stack trace only for unexpected failures: the client
 * never sees one).
 */
final class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    /** The client-facing form of {@code failure} (futures' wrappers removed). */
    static ApiException of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof PackageException pe) {
            switch (pe.kind()) {
                case INVALID: return ApiException.invalid(pe.getMessage());
                case NOT_FOUND: return ApiException.notFound(pe.getMessage());
                case CONFLICT: return ApiException.conflict(pe.getMessage());
                default:
                    log.error("Package operation failed: {}", pe.getMessage(), pe.getCause());
                    return ApiException.internal(pe.getMessage());
            }
        }
        if (t instanceof GroupException ge) {
            return ge.kind() == GroupException.Kind.NOT_FOUND ? ApiException.notFound(ge.getMessage())
                    : ApiException.conflict(ge.getMessage());
        }
        if (t instanceof IllegalArgumentException) {
            return ApiException.invalid(t.getMessage());
        }
        if (t instanceof StoreUnavailableException) {
            return ApiException.busy("server busy (" + t.getMessage() + "), retry later");
        }
        if (t instanceof StoreException) {
            log.error("Database error in an admin call: {}", t.getMessage(), t);
            return ApiException.internal("database error, see the server log");
        }
        log.error("Unexpected failure in an admin call", t);
        return ApiException.internal("internal error, see the server log");
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The client's IP address, for log lines. */
    static String client(Channel channel) {
        if (channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(channel.remoteAddress());
    }

    /** The one log line of an error answered to a client. */
    static void logAnswered(String client, String method, String path, ApiException e) {
        if (e.status().code() >= 500) {
            log.warn("{} to {} {} {}: {} ({})", e.status().code(), client, method, path, e.code(), e.detail());
        } else {
            log.info("{} to {} {} {}: {} ({})", e.status().code(), client, method, path, e.code(), e.detail());
        }
    }
}
