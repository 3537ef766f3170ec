package analytics.dashboard;

import analytics.http.Handler;
import analytics.http.Headers;
import analytics.http.Request;
import analytics.http.Response;
import analytics.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The dashboard's routes: the page's own files, Chart.js from lib/ at a fixed path, and
 * /config.json. GET and HEAD only; every answer says what it is (Content-Type), tells the
 * browser not to guess otherwise (nosniff) and how long to keep it (Cache-Control).
 *
 * Pattern: a read-only static handler - the smallest surface a file server can have.
 * Lesson:  lessons/15-the-dashboard-page.md   Spec: RFC 9110 §9.3.1-2, §15.5.6; RFC 9111 §5.2
 * Not here: the transport (Http1Server), file lookup rules (StaticFiles).
 * Threads: immutable; called concurrently on virtual threads.
 */
final class DashboardHandler implements Handler {

    /** Where the page loads Chart.js from; build.sh puts the pinned file in lib/. */
    static final String CHART_JS_PATH = "/vendor/chart.umd.js";
    static final String CHART_JS_FILE = "chart.umd.js";

    /**
     * The page may run only our own scripts and styles, and may connect to any http/ws
     * endpoint (the systems listen on other ports, so 'self' alone would block them).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' http: ws:; "
            + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    // Revalidate the page's files on every load (they change while you edit them); never
    // store /config.json (ports change between runs). Production would fingerprint file
    // names (app.3f2a.js) and let browsers keep them for a year.
    private static final String REVALIDATE = "no-cache";
    private static final String NEVER_STORE = "no-store";
    private static final String TEXT = "text/plain; charset=utf-8";

    private static final Log LOG = Log.get(DashboardHandler.class);

    private final StaticFiles pages;
    private final Path chartJs;
    private final ConfigJson configJson;

    DashboardHandler(StaticFiles pages, Path chartJs, ConfigJson configJson) {
        this.pages = pages;
        this.chartJs = chartJs;
        this.configJson = configJson;
    }

    @Override
    public Response handle(Request request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return plain(405, "Method Not Allowed").withHeader("Allow", "GET, HEAD");
        }
        try {
            return switch (request.path()) {
                case "/" -> page("index.html");
                case "/config.json" -> Response.json(200, configJson.forHost(request.header("Host")))
                        .withHeader("Cache-Control", NEVER_STORE)
                        .withHeader("X-Content-Type-Options", "nosniff");
                case CHART_JS_PATH -> chartJs();
                default -> request.path().startsWith("/") && StaticFiles.isPlainName(request.path().substring(1))
                        ? page(request.path().substring(1))
                        : plain(400, "Bad Request: not a plain file name");
            };
        } catch (IOException e) {
            LOG.error("could not read a dashboard file", e, "path", request.path());
            return plain(500, "Internal Server Error");
        }
    }

    private Response page(String name) throws IOException {
        Optional<StaticFiles.File> file = pages.find(name);
        if (file.isEmpty()) {
            return plain(404, "Not Found");
        }
        Response response = file(file.get().bytes(), file.get().contentType());
        return name.endsWith(".html")
                ? response.withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                : response;
    }

    private Response chartJs() throws IOException {
        if (!Files.isRegularFile(chartJs)) {
            // Only when lib/ was emptied after the build: say how to get it back.
            return plain(404, "Chart.js is missing from lib/: run ./build.sh deps");
        }
        return file(Files.readAllBytes(chartJs), StaticFiles.CONTENT_TYPES.get("js"));
    }

    private static Response file(byte[] bytes, String contentType) {
        return new Response(200, Headers.of("Content-Type", contentType,
                "Cache-Control", REVALIDATE, "X-Content-Type-Options", "nosniff"), bytes);
    }

    private static Response plain(int status, String reason) {
        return new Response(status, Headers.of("Content-Type", TEXT, "X-Content-Type-Options", "nosniff"),
                (reason + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
