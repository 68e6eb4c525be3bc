package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.teledeploy.packages.PackageException;
import org.teledeploy.store.StoreException;
import org.teledeploy.store.StoreOverloadedException;

/** The status table of docs/admin-api.md: every failure a service can throw, as the client sees it. */
class ApiErrorsTest {

    @Test
    void packageKindsMapToTheirStatuses() {
        assertError(422, "invalid", "bad archive", new PackageException(PackageException.Kind.INVALID, "bad archive"));
        assertError(404, "not_found", "no package 1", new PackageException(PackageException.Kind.NOT_FOUND, "no package 1"));
        assertError(409, "conflict", "broken", new PackageException(PackageException.Kind.CONFLICT, "broken"));
        assertError(500, "internal", "disk full", new PackageException(PackageException.Kind.FAILED, "disk full"));
    }

    @Test
    void valuesStoreAndUnexpectedFailures() {
        assertError(422, "invalid", "priority: 11 (expected: 0 to 10)",
                new IllegalArgumentException("priority: 11 (expected: 0 to 10)"));
        ApiException busy = assertError(503, "busy", "server busy (write queue full (store.queue.size = 16)), retry"
                + " later", new StoreOverloadedException(16));
        assertEquals(Map.of("Retry-After", "60"), busy.headers());
        assertError(500, "internal", "database error, see the server log", new StoreException("disk I/O error"));
        assertError(500, "internal", "internal error, see the server log", new NullPointerException("secret detail"));
    }

    @Test
    void futureWrappersAreRemovedAndApiExceptionsKept() {
        ApiException notFound = ApiException.notFound("no upload x");
        assertSame(notFound, ApiErrors.of(new CompletionException(new CompletionException(notFound))));
        assertEquals(Map.of("WWW-Authenticate", "Bearer"), ApiException.unauthorized().headers());
        assertEquals(Map.of("Allow", "GET, POST"), ApiException.methodNotAllowed("PUT", "/x", "GET, POST").headers());
    }

    private static ApiException assertError(int status, String code, String detail, Throwable failure) {
        ApiException e = ApiErrors.of(new CompletionException(failure));
        assertEquals(status, e.status().code());
        assertEquals(code, e.code());
        assertEquals(detail, e.detail());
        return e;
    }
}
