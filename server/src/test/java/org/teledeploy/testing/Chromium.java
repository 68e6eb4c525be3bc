package org.teledeploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Debian Chromium driven by chromedriver over the W3C WebDriver HTTP protocol, with nothing but
 * {@code java.net.http} and Jackson: start, navigate, find elements by CSS selector, type, click, read text,
 * attributes and cookies, take screenshots. chromedriver listens on a free port of the loopback interface only;
 * {@link #close()} deletes the session and kills chromedriver and every browser process it started, whatever
 * state they are in, and removes the browser's profile directory.
 *
 * <p>Missing browser or driver: the test is skipped on a developer machine, but fails under CI (CI=true), where
 * {@code .ci/run} installs {@code chromium} and {@code chromium-driver}.
 */
public final class Chromium implements AutoCloseable {

    public static final String BROWSER = "/usr/bin/chromium";
    public static final String DRIVER = "/usr/bin/chromedriver";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Process driver;
    private final Path profile;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String session;

    /** An element found on the current page (its W3C reference). */
    public record Element(String id) {}

    /** A cookie as the browser holds it. */
    public record Cookie(String name, String value, String path, boolean httpOnly, boolean secure, String sameSite) {}

    private Chromium(Process driver, Path profile, int port) {
        this.driver = driver;
        this.profile = profile;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Skips the calling test when Chromium or chromedriver is not installed, except under CI (a failure). */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(Path.of(BROWSER)) && Files.isExecutable(Path.of(DRIVER));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(BROWSER + " or " + DRIVER + " is missing: .ci/run must install chromium and"
                    + " chromium-driver");
        }
        Assumptions.assumeTrue(installed, BROWSER + " or " + DRIVER + " not installed (apt-get install chromium"
                + " chromium-driver)");
    }

    /** Starts chromedriver and a headless browser with a {@code width} × {@code height} window. */
    public static Chromium start(int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("teledeploy-chromium-");
        int port = freePort();
        Process driver = new ProcessBuilder(DRIVER, "--port=" + port, "--log-level=WARNING")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromedriver.log").toFile())
                .start();
        Chromium browser = new Chromium(driver, profile, port);
        try {
            browser.awaitReady();
            browser.newSession(width, height);
            return browser;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new IOException("chromedriver exited: " + log());
            }
            try {
                JsonNode status = raw("GET", "/status", null);
                if (status.path("value").path("ready").asBoolean(false)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("chromedriver not ready within 30 s: " + log());
    }

    private void newSession(int width, int height) throws IOException, InterruptedException {
        ObjectNode options = JSON.createObjectNode().put("binary", BROWSER);
        var args = options.putArray("args");
        for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--lang=en-US", "--force-device-scale-factor=1",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile.resolve("profile"))) {
            args.add(arg);
        }
        ObjectNode always = JSON.createObjectNode().put("browserName", "chrome");
        always.set("goog:chromeOptions", options);
        always.putObject("timeouts").put("pageLoad", 30_000).put("script", 10_000).put("implicit", 0);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("capabilities").set("alwaysMatch", always);
        JsonNode created = raw("POST", "/session", body);
        session = created.path("value").path("sessionId").asText(null);
        if (session == null) {
            throw new IOException("no session: " + created + "\n" + log());
        }
        command("POST", "/window/rect", JSON.createObjectNode().put("width", width).put("height", height));
        // The window has a frame even headless: grow it until the viewport (what a screenshot shows) is the size.
        JsonNode inner = script("return [window.innerWidth, window.innerHeight];");
        int dw = width - inner.get(0).asInt();
        int dh = height - inner.get(1).asInt();
        if (dw != 0 || dh != 0) {
            command("POST", "/window/rect", JSON.createObjectNode().put("width", width + dw).put("height", height + dh));
        }
    }

    /** Runs a script in the page (the test's, not the page's: the dashboard itself has none); its result. */
    public JsonNode script(String body) {
        ObjectNode request = JSON.createObjectNode().put("script", body);
        request.putArray("args");
        return command("POST", "/execute/sync", request);
    }

    // ---- navigation and reading ----------------------------------------------------------------------------

    public void navigate(String url) {
        command("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    public String currentUrl() {
        return command("GET", "/url", null).asText();
    }

    /**
     * Waits (up to 10 s) until the browser is at {@code url}, as after a click that submits a form or follows a
     * link; returns it, or fails with where the browser is and what it shows.
     */
    public String awaitUrl(String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String now = currentUrl();
        while (!now.equals(url) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = currentUrl();
        }
        if (!now.equals(url)) {
            throw new AssertionError("expected the browser at " + url + " but it is at " + now + ", showing:\n"
                    + text("body"));
        }
        return now;
    }

    public String title() {
        return command("GET", "/title", null).asText();
    }

    /** The first element matching a CSS selector; fails when there is none. */
    public Element find(String css) {
        JsonNode value = command("POST", "/element", JSON.createObjectNode().put("using", "css selector")
                .put("value", css));
        return element(value);
    }

    /** Waits (up to 10 s) for an element to be on the page, as after a form posted to the same address. */
    public Element await(String css) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<Element> found = findAll(css);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + css + " within 10 s at " + currentUrl() + ", showing:\n"
                        + text("body"));
            }
            Thread.sleep(50);
        }
    }

    /** Every element matching a CSS selector, in document order. */
    public List<Element> findAll(String css) {
        JsonNode value = command("POST", "/elements", JSON.createObjectNode().put("using", "css selector")
                .put("value", css));
        List<Element> out = new ArrayList<>();
        value.forEach(v -> out.add(element(v)));
        return out;
    }

    public List<Element> findAll(Element within, String css) {
        JsonNode value = command("POST", "/element/" + within.id() + "/elements", JSON.createObjectNode()
                .put("using", "css selector").put("value", css));
        List<Element> out = new ArrayList<>();
        value.forEach(v -> out.add(element(v)));
        return out;
    }

    public Element find(Element within, String css) {
        return element(command("POST", "/element/" + within.id() + "/element", JSON.createObjectNode()
                .put("using", "css selector").put("value", css)));
    }

    /** The rendered text of an element (what a person reads). */
    public String text(Element e) {
        return command("GET", "/element/" + e.id() + "/text", null).asText();
    }

    public String text(String css) {
        return text(find(css));
    }

    /** Texts of every element matching a selector. */
    public List<String> texts(String css) {
        return findAll(css).stream().map(this::text).toList();
    }

    public String attribute(Element e, String name) {
        JsonNode v = command("GET", "/element/" + e.id() + "/attribute/" + name, null);
        return v.isNull() ? null : v.asText();
    }

    /** A DOM property (e.g. {@code textContent} of an SVG {@code <title>}, which is never rendered). */
    public String property(Element e, String name) {
        JsonNode v = command("GET", "/element/" + e.id() + "/property/" + name, null);
        return v.isNull() ? null : v.asText();
    }

    public void type(Element e, String text) {
        command("POST", "/element/" + e.id() + "/value", JSON.createObjectNode().put("text", text));
    }

    public void click(Element e) {
        command("POST", "/element/" + e.id() + "/click", JSON.createObjectNode());
    }

    public void click(String css) {
        click(find(css));
    }

    public List<Cookie> cookies() {
        List<Cookie> out = new ArrayList<>();
        command("GET", "/cookie", null).forEach(c -> out.add(new Cookie(c.path("name").asText(),
                c.path("value").asText(), c.path("path").asText(), c.path("httpOnly").asBoolean(),
                c.path("secure").asBoolean(), c.path("sameSite").asText())));
        return out;
    }

    /** The text of an open JavaScript dialog (alert, confirm), if one is open. */
    public Optional<String> alertText() {
        try {
            JsonNode reply = raw("GET", "/session/" + session + "/alert/text", null);
            JsonNode value = reply.path("value");
            if (value.isObject() && value.has("error")) {
                return Optional.empty();
            }
            return Optional.of(value.asText());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A PNG of the viewport, written to {@code file}. */
    public Path screenshot(Path file) throws IOException {
        byte[] png = Base64.getDecoder().decode(command("GET", "/screenshot", null).asText());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, png);
        return file;
    }

    // ---- protocol -----------------------------------------------------------------------------------------

    private static Element element(JsonNode value) {
        if (!value.isObject() || value.size() != 1) {
            throw new AssertionError("not an element reference: " + value);
        }
        return new Element(value.elements().next().asText());
    }

    /** A command of the session; its {@code value}, or an AssertionError with the WebDriver error. */
    private JsonNode command(String method, String path, JsonNode body) {
        try {
            JsonNode reply = raw(method, "/session/" + session + path, body);
            JsonNode value = reply.path("value");
            if (value.isObject() && value.has("error")) {
                throw new AssertionError("WebDriver " + method + " " + path + " " + body + ": "
                        + value.path("error").asText() + ": " + value.path("message").asText().lines().findFirst()
                        .orElse(""));
            }
            return value;
        } catch (IOException e) {
            throw new AssertionError("WebDriver " + method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private JsonNode raw(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(COMMAND_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8");
        b.method(method, body == null ? BodyPublishers.noBody()
                : BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        String text = http.send(b.build(), BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    private String log() {
        try {
            return Files.readString(profile.resolve("chromedriver.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Deletes the session, kills chromedriver and its browser processes, removes the profile. */
    @Override
    public void close() {
        try {
            if (session != null && driver.isAlive()) {
                raw("DELETE", "/session/" + session, null);
            }
        } catch (IOException | RuntimeException e) {
            // killed below anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session = null;
            List<ProcessHandle> children = driver.descendants().toList();
            children.forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            try {
                driver.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                for (ProcessHandle child : children) {
                    child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // gone or stuck: nothing more to do from here
            }
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir: best effort
        }
    }
}
