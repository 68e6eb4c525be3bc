package org.teledeploy.admin.dashboard;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.admin.AdminToken;

/**
 * {@code GET /login} (the form asking for the admin token), {@code POST /login} (the token checked in constant
 * time; right: a new session and its cookie, wrong: the form again with a 401 and a log line, too many wrong: 429)
 * and {@code POST /logout}. The token only ever travels in a form body; it is never shown back.
 */
final class LoginPages {

    private static final Logger log = LoggerFactory.getLogger(LoginPages.class);

    private final AdminToken token;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    LoginPages(AdminToken token, Sessions sessions, LoginThrottle throttle) {
        this.token = token;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    /** The form; a browser already signed in goes on to the dashboard. */
    PageResponse form(DashboardRequest r) {
        r.onlyParams(Set.of("next"));
        String next = safeNext(r.param("next").orElse(""));
        List<String> cookies = SessionCookie.values(r.cookie());
        if (cookies.stream().anyMatch(id -> sessions.find(id).isPresent())) {
            return PageResponse.redirect(next);
        }
        if (!cookies.isEmpty()) {
            return page(HttpResponseStatus.OK, next, "info", "Your session has ended: sign in again.")
                    .with("Set-Cookie", SessionCookie.clear(r.secure()));
        }
        return page(HttpResponseStatus.OK, next, "", "");
    }

    PageResponse submit(DashboardRequest r) {
        r.onlyParams(Set.of());
        sameOrigin(r);
        Map<String, List<String>> form = r.form();
        String next = safeNext(first(form, "next").orElse(""));
        Optional<Duration> locked = throttle.lockedFor(r.client());
        if (locked.isPresent()) {
            long seconds = (locked.get().toMillis() + 999) / 1000;
            long minutes = (seconds + 59) / 60;
            log.warn("Dashboard login from {} refused unchecked: {} wrong tokens within {} min, locked for {} more"
                    + " min", r.client(), throttle.maxFailures(), throttle.window().toMinutes(), minutes);
            return page(HttpResponseStatus.TOO_MANY_REQUESTS, next, "error", "Too many failed sign-ins from this"
                    + " address: try again in " + Format.count((int) minutes, "minute", "minutes") + ".")
                    .with("Retry-After", Long.toString(seconds));
        }
        if (!token.matches(first(form, "token").map(String::strip).orElse(null))) {
            int failures = throttle.failed(r.client());
            log.warn("Dashboard login from {} refused: wrong admin token ({} of {} allowed within {} min)", r.client(),
                    failures, throttle.maxFailures(), throttle.window().toMinutes());
            return page(HttpResponseStatus.UNAUTHORIZED, next, "error", "Sign-in failed: that is not the admin token.");
        }
        throttle.succeeded(r.client());
        SessionCookie.values(r.cookie()).forEach(sessions::remove);
        String id = sessions.create(r.client());
        log.info("Dashboard login from {}", r.client());
        return PageResponse.redirect(next).with("Set-Cookie", SessionCookie.set(id, r.secure()));
    }

    PageResponse logout(DashboardRequest r) {
        r.onlyParams(Set.of());
        sameOrigin(r);
        SessionCookie.values(r.cookie()).forEach(sessions::remove);
        return PageResponse.redirect(Urls.LOGIN).with("Set-Cookie", SessionCookie.clear(r.secure()));
    }

    /**
     * Where to go after signing in: a dashboard page the browser was sent away from, else the package list. Only
     * paths under /dashboard are taken (never another site, never "//host").
     */
    static String safeNext(String next) {
        boolean underDashboard = next.equals(Urls.HOME) || next.startsWith(Urls.HOME + "/")
                || next.startsWith(Urls.HOME + "?");
        if (!underDashboard || next.contains("//") || next.contains("\\") || next.length() > 2000
                || next.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return Urls.HOME;
        }
        return next;
    }

    /**
     * Refuses (403) a form posted from another origin. Browsers send Origin with every POST; SameSite=Strict
     * already keeps the session cookie off such requests, this keeps other sites from even trying tokens. Behind
     * a reverse proxy, the origin is the proxy's: its Host, or the X-Forwarded-Host it sets.
     */
    private static void sameOrigin(DashboardRequest r) {
        if (r.origin() == null) {
            return; // not a browser (curl, tests): nothing to protect against
        }
        String scheme = r.secure() ? "https://" : "http://";
        boolean same = (r.host() != null && r.origin().equalsIgnoreCase(scheme + r.host()))
                || (r.forwardedHost() != null && r.origin().equalsIgnoreCase(scheme + r.forwardedHost().strip()));
        if (!same) {
            throw PageException.forbidden("This form was posted from another site (" + r.origin() + ").");
        }
    }

    private static Optional<String> first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static PageResponse page(HttpResponseStatus status, String next, String alertKind, String alert) {
        Html h = Layout.bare("Sign in");
        h.raw("<div class=\"login\"><h1>Sign in</h1><p class=\"muted\">The deployment dashboard of this teledeploy"
                + " server (read-only). Sign in with the admin token: the content of the file <span class=\"mono\">"
                + "admin.token</span> in the server's state directory (<span class=\"mono\">var/admin.token</span>"
                + " by default).</p>");
        if (!alert.isEmpty()) {
            h.raw("<div class=\"alert " + alertKind + "\" role=\"alert\">").text(alert).raw("</div>");
        }
        h.raw("<form method=\"post\" action=\"" + Urls.LOGIN + "\">");
        if (!next.equals(Urls.HOME)) {
            h.raw("<input type=\"hidden\" name=\"next\" value=\"").text(next).raw("\">");
        }
        h.raw("<label for=\"token\">Admin token</label><input id=\"token\" name=\"token\" type=\"password\""
                + " autocomplete=\"off\" spellcheck=\"false\" required autofocus>"
                + "<button type=\"submit\">Sign in</button></form></div>");
        return PageResponse.of(status, Layout.close(h, ""));
    }
}
