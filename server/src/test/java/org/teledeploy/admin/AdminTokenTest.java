package org.teledeploy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.AdminClient.Reply;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * The admin API's bearer token: written once (0600, 32 random bytes in URL-safe base64), reused across restarts,
 * compared in constant time; every failure is the same 401 without a hint, and a token in the query string is
 * refused before anything else.
 */
class AdminTokenTest {

    private static final String UNAUTHORIZED = "{\"error\":\"unauthorized\",\"detail\":\"a valid bearer token is required\"}";

    @RegisterExtension
    final TeledeployServerExtension server = TeledeployServerExtension.create();

    private final AdminClient admin = new AdminClient(server);

    @TempDir
    Path dir;

    @Test
    void theFirstStartWritesAPrivateRandomTokenAndLaterStartsReuseIt() throws Exception {
        Path file = server.stateDir().resolve("admin.token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = admin.token();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertEquals(32, Base64.getUrlDecoder().decode(token).length);
        assertEquals(200, admin.get("/api/v1/packages").status());

        server.restart();
        assertEquals(token, admin.token(), "reused, not replaced");
        assertEquals(200, admin.get("/api/v1/packages").status(), "the same token works after a restart");
        try (var leftovers = Files.list(server.stateDir())) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void twoStateDirsGetDifferentTokens() {
        AdminToken a = AdminToken.loadOrCreate(dir.resolve("a"));
        AdminToken b = AdminToken.loadOrCreate(dir.resolve("b"));
        assertNotEquals(read(a.file()), read(b.file()));
    }

    @Test
    void aTokenFileOthersCanReadIsMadePrivateAtStart() throws Exception {
        AdminToken first = AdminToken.loadOrCreate(dir);
        Files.setPosixFilePermissions(first.file(), PosixFilePermissions.fromString("rw-r--r--"));
        AdminToken again = AdminToken.loadOrCreate(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(again.file())));
        assertTrue(again.accepts("Bearer " + read(first.file())));
    }

    @Test
    void onlyTheExactBearerTokenIsAccepted() {
        AdminToken token = AdminToken.loadOrCreate(dir);
        String value = read(token.file());
        assertTrue(token.accepts("Bearer " + value));
        assertTrue(token.accepts("bearer " + value), "the scheme is case-insensitive");
        assertFalse(token.accepts(null));
        assertFalse(token.accepts(""));
        assertFalse(token.accepts("Bearer"));
        assertFalse(token.accepts("Bearer " + value.substring(1)));
        assertFalse(token.accepts("Bearer " + value + "x"));
        assertFalse(token.accepts("Basic " + value));
        assertFalse(token.accepts("Bearer " + value.toUpperCase(java.util.Locale.ROOT)));
        assertTrue(token.matches(value), "the dashboard's form: the token alone");
        assertFalse(token.matches(null));
        assertFalse(token.matches(""));
        assertFalse(token.matches(value.substring(1)));
        assertFalse(token.matches("Bearer " + value));
    }

    @Test
    void theComparisonIsConstantTime() throws Exception {
        String source = Files.readString(Path.of("src/main/java/org/teledeploy/admin/AdminToken.java"));
        assertTrue(source.contains("MessageDigest.isEqual(presented, token)"), "compares with MessageDigest.isEqual");
        assertFalse(source.contains("Arrays.equals"), "no early-exit comparison");
        assertFalse(source.matches("(?s).*\\.equals\\((value|presented|token)\\).*"), "no String.equals on the token");
    }

    @Test
    void missingWrongOrMalformedTokensGetTheSame401WithoutDetails() {
        String wrong = admin.token().substring(1) + "A";
        for (HttpRequest.Builder request : new HttpRequest.Builder[] {
                HttpRequest.newBuilder(admin.uri("/api/v1/packages")),
                HttpRequest.newBuilder(admin.uri("/api/v1/packages")).header("Authorization", "Bearer " + wrong),
                HttpRequest.newBuilder(admin.uri("/api/v1/packages")).header("Authorization", "Basic " + admin.token()),
                HttpRequest.newBuilder(admin.uri("/api/v1/no/such/path")),
                HttpRequest.newBuilder(admin.uri("/api/v1/uploads/a.tar.gz")).PUT(BodyPublishers.ofString("x"))}) {
            Reply r = admin.send(request);
            assertEquals(401, r.status(), r.toString());
            assertEquals(UNAUTHORIZED, r.body());
            assertEquals("Bearer", r.header("WWW-Authenticate"));
            assertEquals("application/json; charset=UTF-8", r.header("Content-Type"));
        }
        try (var uploads = Files.list(server.stateDir().resolve("uploads"))) {
            assertEquals(0, uploads.count(), "nothing received without the token");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTokenInTheQueryStringIsRefusedEvenWithTheHeader() {
        for (String query : new String[] {"?token=" + admin.token(), "?access_token=" + admin.token()}) {
            Reply r = admin.get("/api/v1/packages" + query);
            assertEquals(400, r.status(), r.toString());
            assertEquals("bad_request: token: given in the query string (expected: an Authorization: Bearer header;"
                    + " query strings end up in logs)", r.error());
            assertFalse(r.body().contains(admin.token()), "the token is not echoed");
        }
        Reply unauthenticated = admin.send(HttpRequest.newBuilder(admin.uri("/api/v1/packages?token=x")));
        assertEquals(400, unauthenticated.status());
    }

    @Test
    void healthStaysOpenMetricsTakeTheTokenAndOtherPathsAre404() {
        Reply health = admin.send(HttpRequest.newBuilder(admin.uri("/health")));
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());
        Reply other = admin.send(HttpRequest.newBuilder(admin.uri("/nothing-here")));
        assertEquals(404, other.status());
        assertEquals("not_found: no such path: /nothing-here (the admin API is under /api/v1/)", other.error());
        assertNull(other.header("WWW-Authenticate"));
        Reply metrics = admin.send(HttpRequest.newBuilder(admin.uri("/metrics")));
        assertEquals(401, metrics.status(), "/metrics takes the token too");
        assertEquals("Bearer", metrics.header("WWW-Authenticate"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
