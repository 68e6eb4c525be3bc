package org.teledeploy.admin.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.teledeploy.testing.AdminClient;
import org.teledeploy.testing.TeledeployServerExtension;

/**
 * Plain HTTP against the dashboard of a test server, as a browser without JavaScript would talk to it: GETs and
 * form POSTs with an explicit session cookie (no cookie jar, no redirects followed, so tests see every 303 and
 * Set-Cookie).
 */
final class DashboardHttp {

    private static final Pattern SESSION = Pattern.compile(SessionCookie.NAME + "=([^;]*)");

    private final TeledeployServerExtension server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DashboardHttp(TeledeployServerExtension server) {
        this.server = server;
    }

    record Page(int status, java.net.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The session id a Set-Cookie gives, if any. */
        Optional<String> session() {
            String set = header("Set-Cookie");
            if (set == null) {
                return Optional.empty();
            }
            Matcher m = SESSION.matcher(set);
            return m.find() && !m.group(1).isEmpty() ? Optional.of(m.group(1)) : Optional.empty();
        }

        @Override
        public String toString() {
            return status + " " + headers.map() + "\n" + body;
        }
    }

    String token() {
        return new AdminClient(server).token();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.server().adminPort() + path);
    }

    Page get(String path, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (session != null) {
            b.header("Cookie", SessionCookie.NAME + "=" + session);
        }
        return send(b);
    }

    Page post(String path, String form, String session) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(form));
        if (session != null) {
            b.header("Cookie", SessionCookie.NAME + "=" + session);
        }
        return send(b);
    }

    /** Signs in with the right token; returns the session id. */
    String login() {
        Page p = post("/login", "token=" + token(), null);
        if (p.status() != 303 || p.session().isEmpty()) {
            throw new AssertionError("login failed: " + p);
        }
        return p.session().get();
    }

    Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Page(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
