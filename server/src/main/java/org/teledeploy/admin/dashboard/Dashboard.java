package org.teledeploy.admin.dashboard;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.TeledeployServer;
import org.teledeploy.Teledeployd;
import org.teledeploy.admin.AdminToken;
import org.teledeploy.network.NetworkException;
import org.teledeploy.packages.PackageException;
import org.teledeploy.store.StoreUnavailableException;

/**
 * The read-only web dashboard on the admin listener: {@code /login} and {@code /logout}, then, with a session,
 * the pages under {@code /dashboard} (README, "Dashboard"). It checks what every request passes (no token in
 * the URL, a live session, GET only), routes it to its page and turns every failure into an error page. Created
 * with the admin token before the listeners open, bound to the running server once it is built (pages answer
 * 503 before that).
 */
public final class Dashboard {

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    /** A session ends after this long without a request. */
    public static final Duration SESSION_IDLE = Duration.ofHours(12);
    /** Sessions kept at most (the least recently used goes first). */
    static final int MAX_SESSIONS = 10_000;
    /** Wrong tokens a client may send within {@link #LOGIN_WINDOW} before it is locked out for the window. */
    static final int MAX_LOGIN_FAILURES = 10;
    static final Duration LOGIN_WINDOW = Duration.ofMinutes(10);

    private final Clock clock;
    private final Sessions sessions;
    private final LoginPages login;
    private volatile Pages pages;

    /** The pages of a running server. */
    private record Pages(PackagePages packages, DevicePage device, NetworkPages network, String footer) {}

    private Dashboard(AdminToken token, Clock clock) {
        this.clock = clock;
        this.sessions = new Sessions(clock, SESSION_IDLE, MAX_SESSIONS);
        this.login = new LoginPages(token, sessions, new LoginThrottle(clock, MAX_LOGIN_FAILURES, LOGIN_WINDOW,
                MAX_SESSIONS));
    }

    /** A dashboard that signs in with {@code token}; time (session expiry, lockouts) is {@code clock}'s. */
    public static Dashboard create(AdminToken token, Clock clock) {
        return new Dashboard(token, clock);
    }

    /** Starts answering pages with {@code server}'s services. */
    public void bind(TeledeployServer server) {
        pages = new Pages(new PackagePages(server), new DevicePage(server), new NetworkPages(server),
                "teledeploy " + Teledeployd.version() + " · read-only dashboard · times in UTC");
    }

    /** Whether a request path is the dashboard's (the rest of the admin listener is the API's). */
    public static boolean handles(String path) {
        return path.equals(Urls.LOGIN) || path.equals(Urls.LOGOUT) || path.equals(Urls.HOME)
                || path.startsWith(Urls.HOME + "/");
    }

    /** The handler of one admin connection (installed by the admin listener's pipeline). */
    public ChannelHandler newHandler() {
        return new DashboardHandler(this);
    }

    /** The answer to a request; never fails (a failure is an error page). */
    CompletableFuture<PageResponse> answer(DashboardRequest r) {
        boolean signedIn = false;
        try {
            if (r.query().containsKey("token") || r.query().containsKey("access_token")) {
                throw PageException.badRequest("A token was given in the address. The token is only ever typed into"
                        + " the sign-in form: addresses end up in logs and browser histories.");
            }
            if (r.path().equals(Urls.LOGIN)) {
                return CompletableFuture.completedFuture(switch (r.method()) {
                    case "GET" -> login.form(r);
                    case "POST" -> login.submit(r);
                    default -> throw PageException.methodNotAllowed(r.method(), "GET, POST");
                });
            }
            if (r.path().equals(Urls.LOGOUT)) {
                if (!r.method().equals("POST")) {
                    throw PageException.methodNotAllowed(r.method(), "POST");
                }
                return CompletableFuture.completedFuture(login.logout(r));
            }
            signedIn = SessionCookie.values(r.cookie()).stream().anyMatch(id -> sessions.find(id).isPresent());
            if (!signedIn) {
                return CompletableFuture.completedFuture(toLogin(r));
            }
            if (!r.method().equals("GET")) {
                throw PageException.methodNotAllowed(r.method(), "GET");
            }
            Pages p = pages;
            if (p == null) {
                throw PageException.unavailable("The server is starting: reload in a moment.");
            }
            boolean withNavigation = true;
            return route(p, r).thenApply(PageResponse::ok)
                    .exceptionally(e -> error(r, e, withNavigation));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(r, e, signedIn));
        }
    }

    /** 303 to the login form, which comes back here after signing in. */
    private static PageResponse toLogin(DashboardRequest r) {
        String here = r.path() + (r.query().isEmpty() ? "" : "?" + rawQuery(r));
        String next = LoginPages.safeNext(here);
        return PageResponse.redirect(next.equals(Urls.HOME) ? Urls.LOGIN : Urls.LOGIN + "?next=" + Urls.segment(next));
    }

    private static String rawQuery(DashboardRequest r) {
        StringBuilder sb = new StringBuilder();
        r.query().forEach((name, values) -> values.forEach(v -> sb.append(sb.length() == 0 ? "" : "&")
                .append(Urls.segment(name)).append('=').append(Urls.segment(v))));
        return sb.toString();
    }

    private CompletableFuture<String> route(Pages p, DashboardRequest r) {
        List<String> s = r.segments();
        int n = s.size();
        if (n == 1) {
            r.onlyParams(Set.of());
            return p.packages().list(p.footer());
        }
        if (n == 2 && s.get(1).isEmpty()) {
            throw PageException.notFound("There is no page " + r.path() + " (the dashboard is at " + Urls.HOME + ").");
        }
        if (n == 3 && s.get(1).equals("packages") && !s.get(2).isEmpty()) {
            r.onlyParams(Set.of());
            return p.packages().show(s.get(2), p.footer());
        }
        if (n == 4 && s.get(1).equals("packages") && !s.get(2).isEmpty() && s.get(3).equals("devices")) {
            r.onlyParams(Set.of("bucket", "code"));
            return p.packages().devices(s.get(2), r.param("bucket"), r.param("code"), p.footer());
        }
        if (n == 3 && s.get(1).equals("devices") && !s.get(2).isEmpty()) {
            r.onlyParams(Set.of());
            return p.device().show(s.get(2), clock.millis(), p.footer());
        }
        if (n == 2 && s.get(1).equals("network")) {
            r.onlyParams(Set.of());
            return p.network().subnets(p.footer());
        }
        if (n == 3 && s.get(1).equals("network") && s.get(2).equals("hosts")) {
            r.onlyParams(Set.of("subnet"));
            String subnet = r.param("subnet").orElseThrow(() -> PageException.badRequest("Which subnet? (expected:"
                    + " subnet=CIDR, e.g. subnet=192.0.2.0/24)."));
            return p.network().unmanaged(subnet, p.footer());
        }
        throw PageException.notFound("There is no page " + r.path() + ".");
    }

    /** The error page of a failure, logged on one line (with the stack trace only when unexpected). */
    private PageResponse error(DashboardRequest r, Throwable failure, boolean withNavigation) {
        PageException e = pageException(unwrap(failure));
        if (e.status().code() >= 500) {
            log.warn("{} to {} {} {}: {}", e.status().code(), r.client(), r.method(), r.path(), e.getMessage());
        } else {
            log.info("{} to {} {} {}: {}", e.status().code(), r.client(), r.method(), r.path(), e.getMessage());
        }
        String title = e.status().code() + " " + e.status().reasonPhrase();
        Html h = withNavigation ? Layout.open(title, Layout.Section.NONE) : Layout.bare(title);
        h.raw("<h1>").text(title).raw("</h1><p class=\"sub\">").text(e.getMessage()).raw("</p><p><a href=\""
                + Urls.HOME + "\">Back to the packages</a></p>");
        Pages p = pages;
        PageResponse response = PageResponse.of(e.status(), Layout.close(h, p == null ? "" : p.footer()));
        for (var header : e.headers().entrySet()) {
            response = response.with(header.getKey(), header.getValue());
        }
        return response;
    }

    private static PageException pageException(Throwable t) {
        if (t instanceof PageException pe) {
            return pe;
        }
        if (t instanceof PackageException pe && pe.kind() == PackageException.Kind.NOT_FOUND) {
            return PageException.notFound(pe.getMessage());
        }
        if (t instanceof NetworkException ne) {
            return ne.kind() == NetworkException.Kind.NOT_FOUND ? PageException.notFound(ne.getMessage())
                    : PageException.badRequest(ne.getMessage());
        }
        if (t instanceof StoreUnavailableException) {
            return PageException.unavailable("The server is busy: reload in a moment.");
        }
        log.error("Dashboard page failed", t);
        return new PageException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error: see the server log.",
                java.util.Map.of());
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    Sessions sessions() {
        return sessions;
    }
}
