package org.teledeploy.admin;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.teledeploy.TeledeployServer;
import org.teledeploy.admin.dashboard.Dashboard;
import org.teledeploy.config.TeledeployConfig;
import org.teledeploy.registry.DeviceQueries;
import org.teledeploy.transport.AdminEndpoint;

/**
 * The admin API v1 (docs/admin-api.md): the checks every call passes (path under {@code /api/v1/}, no token in
 * the query string, the bearer token), the routing table, and what the admin listener's pipeline installs per
 * connection (with the web {@link Dashboard}, which signs in with the same token). Opened before the listeners (the token file exists before anyone can connect), bound to the
 * running server once it is built; calls before that get 503.
 */
public final class AdminApi implements AdminEndpoint {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    static final String PREFIX = "/api/v1/";
    static final String UPLOADS = PREFIX + "uploads/";

    private final AdminToken token;
    private final UploadStore uploads;
    private final Dashboard dashboard;
    private volatile Router router;

    private AdminApi(AdminToken token, UploadStore uploads, Dashboard dashboard) {
        this.token = token;
        this.uploads = uploads;
        this.dashboard = dashboard;
    }

    /** Reads or creates the token, prepares {@code <state.dir>/uploads/} (blocking; at start). */
    public static AdminApi open(TeledeployConfig config, Clock clock) {
        Path stateDir = config.stateDir().toAbsolutePath();
        AdminToken token = AdminToken.loadOrCreate(stateDir);
        UploadStore uploads = UploadStore.open(stateDir.resolve("uploads"), config.adminUploadMaxSize(),
                config.adminUploadMaxConcurrent(), clock);
        log.info("Admin API on the admin listener under {}, bearer token in {}; dashboard at /dashboard", PREFIX,
                token.file());
        return new AdminApi(token, uploads, Dashboard.create(token, clock));
    }

    /** Starts answering with {@code server}'s services. */
    public void bind(TeledeployServer server) {
        dashboard.bind(server);
        DeviceQueries devices = new DeviceQueries(server.reader());
        PackagesApi packages = new PackagesApi(server, uploads);
        DeployApi deploy = new DeployApi(server, devices, packages);
        DevicesApi devicesApi = new DevicesApi(server, devices);
        GroupsApi groups = new GroupsApi(server, devices, deploy);
        NetworkApi network = new NetworkApi(server);
        CompletableFuture<ApiResponse> config = config(server);
        router = new Router()
                .add("PUT", "/api/v1/uploads/{fileName}", r -> {
                    throw new IllegalStateException("uploads are streamed, never routed");
                })
                .add("GET", "/api/v1/packages", packages::list)
                .add("POST", "/api/v1/packages", packages::create)
                .add("POST", "/api/v1/packages/import", packages::importOcs)
                .add("GET", "/api/v1/packages/{id}", packages::show)
                .add("PATCH", "/api/v1/packages/{id}", packages::edit)
                .add("DELETE", "/api/v1/packages/{id}", packages::delete)
                .add("POST", "/api/v1/packages/{id}/activate", packages::activate)
                .add("POST", "/api/v1/packages/{id}/deactivate", packages::deactivate)
                .add("GET", "/api/v1/packages/{id}/statistics", packages::statistics)
                .add("GET", "/api/v1/packages/{id}/devices", packages::devices, "bucket")
                .add("POST", "/api/v1/packages/{id}/deploy", deploy::deploy)
                .add("POST", "/api/v1/packages/{id}/undeploy", deploy::undeploy)
                .add("POST", "/api/v1/packages/{id}/reset", deploy::reset)
                .add("GET", "/api/v1/devices", devicesApi::list, "where", "limit", "offset")
                .add("GET", "/api/v1/devices/{deviceId}", devicesApi::show)
                .add("PUT", "/api/v1/devices/{deviceId}/settings/{param}", devicesApi::setSetting)
                .add("DELETE", "/api/v1/devices/{deviceId}/settings/{param}", devicesApi::clearSetting)
                .add("GET", "/api/v1/groups", groups::list)
                .add("POST", "/api/v1/groups", groups::create)
                .add("GET", "/api/v1/groups/{name}", groups::show)
                .add("DELETE", "/api/v1/groups/{name}", groups::delete)
                .add("GET", "/api/v1/groups/{name}/members", groups::members)
                .add("POST", "/api/v1/groups/{name}/members", groups::changeMembers)
                .add("PUT", "/api/v1/groups/{name}/settings/{param}", groups::setSetting)
                .add("DELETE", "/api/v1/groups/{name}/settings/{param}", groups::clearSetting)
                .add("GET", "/api/v1/network/subnets", network::subnets)
                .add("GET", "/api/v1/network/hosts", network::hosts, "subnet", "unmanaged", "limit", "offset")
                .add("GET", "/api/v1/network/devices/{deviceId}", network::device)
                .add("POST", "/api/v1/network/devices/{deviceId}/elect", network::elect)
                .add("POST", "/api/v1/network/devices/{deviceId}/forbid", network::forbid)
                .add("POST", "/api/v1/network/devices/{deviceId}/clear", network::clear)
                .add("GET", "/api/v1/config", r -> config);
    }

    /** The effective configuration (immutable, so computed once: deriving host names reads a file). */
    private static CompletableFuture<ApiResponse> config(TeledeployServer server) {
        Map<String, String> values = new LinkedHashMap<>(server.config().effectiveValues());
        // The bound listeners, not the configured port 0 or a guess: what new activations really get.
        if (server.config().ocs().uriInfo().isEmpty()) {
            values.put("DOWNLOAD_URI_INFO", server.downloadLocations().infoLocation());
        }
        if (server.config().ocs().uriFrag().isEmpty()) {
            values.put("DOWNLOAD_URI_FRAG", server.downloadLocations().fragmentLocation());
        }
        return CompletableFuture.completedFuture(ApiResponse.ok(Collections.unmodifiableMap(values)));
    }

    @Override
    public ChannelHandler newAggregator() {
        return new AdminAggregator();
    }

    @Override
    public ChannelHandler newDashboardHandler() {
        return dashboard.newHandler();
    }

    @Override
    public ChannelHandler newHandler() {
        return new AdminHttpHandler(this);
    }

    @Override
    public boolean authorizes(String authorization) {
        return token.accepts(authorization);
    }

    @Override
    public void close() {
        uploads.close();
    }

    UploadStore uploads() {
        return uploads;
    }

    /** A request that passed the checks of every call: its decoded path segments and query. */
    record Call(String path, List<String> segments, Map<String, List<String>> query) {}

    /**
     * The checks every call passes, in this order: 404 outside {@code /api/v1/}, 400 for a token in the query
     * string, 401 without the right bearer token, 503 while the server is starting.
     */
    Call admit(HttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        if (!rawPath.startsWith(PREFIX)) {
            throw ApiException.notFound("no such path: " + rawPath + " (the admin API is under " + PREFIX + ")");
        }
        Map<String, List<String>> query = new QueryStringDecoder(uri).parameters();
        if (query.containsKey("token") || query.containsKey("access_token")) {
            throw ApiException.badRequest("token: given in the query string (expected: an Authorization: Bearer"
                    + " header; query strings end up in logs)");
        }
        if (!token.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            throw ApiException.unauthorized();
        }
        if (router == null) {
            throw ApiException.busy("server starting, retry in a moment");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            segments.add(decodeSegment(raw));
        }
        return new Call(String.join("/", segments).isEmpty() ? "/" : "/" + String.join("/", segments), segments,
                query);
    }

    /** Routes an admitted call with its (aggregated) body. */
    CompletableFuture<ApiResponse> dispatch(Call call, String method, byte[] body) {
        Router.Match match = router.match(method, call.path(), call.segments());
        for (String name : call.query().keySet()) {
            if (!match.queryNames().contains(name)) {
                throw ApiException.badRequest(name + ": unknown query parameter (expected: "
                        + (match.queryNames().isEmpty() ? "none" : String.join(", ", new TreeSet<>(match.queryNames())))
                        + ")");
            }
        }
        CompletableFuture<ApiResponse> answer = match.handler().handle(
                new ApiRequest(method, call.path(), match.params(), call.query(), body));
        return answer;
    }

    /** Percent-decoding of one path segment ('+' stays '+'); 400 when malformed. */
    static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                    || Character.digit(raw.charAt(i + 2), 16) < 0) {
                throw ApiException.badRequest("path: bad percent-encoding in " + raw);
            }
            out.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
