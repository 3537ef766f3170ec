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
 * The dashboard's routes: the page's own files, Chart.js from lib/ at a fixed path,
 * /config.json, and the load test results under /results/. GET and HEAD only; every
 * answer says what it is (Content-Type), tells the browser not to guess otherwise
 * (nosniff) and how long to keep it (Cache-Control).
 *
 * Pattern: a read-only static handler - the smallest surface a file server can have.
 * Lesson:  lessons/15-the-dashboard-page.md   Spec: RFC 9110 §9.3.1-2, §15.5.6; RFC 9111 §5.2
 * Not here: the transport (Http1Server), file lookup rules (StaticFiles), the results
 *           index (ResultsFolder).
 * Threads: immutable; called concurrently on virtual threads.
 */
final class DashboardHandler implements Handler {

    /** Where the page loads Chart.js from; build.sh puts the pinned file in lib/. */
    static final String CHART_JS_PATH = "/vendor/chart.umd.js";
    static final String CHART_JS_FILE = "chart.umd.js";

    /** The results folder's index; its files are served below it by their plain names. */
    static final String RESULTS_PATH = "/results/";

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
    private static final String NOT_A_PLAIN_NAME = "Bad Request: not a plain file name";

    private static final Log LOG = Log.get(DashboardHandler.class);

    private final StaticFiles pages;
    private final Path chartJs;
    private final ConfigJson configJson;
    private final ResultsFolder results;

    DashboardHandler(StaticFiles pages, Path chartJs, ConfigJson configJson, ResultsFolder results) {
        this.pages = pages;
        this.chartJs = chartJs;
        this.configJson = configJson;
        this.results = results;
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
                case RESULTS_PATH -> html(results.indexHtml().getBytes(StandardCharsets.UTF_8));
                default -> {
                    if (request.path().startsWith(RESULTS_PATH)) {
                        String name = request.path().substring(RESULTS_PATH.length());
                        yield plainNameOr400(name, this::result);
                    }
                    yield request.path().startsWith("/")
                            ? plainNameOr400(request.path().substring(1), this::page)
                            : plain(400, NOT_A_PLAIN_NAME);
                }
            };
        } catch (IOException e) {
            LOG.error("could not read a dashboard file", e, "path", request.path());
            return plain(500, "Internal Server Error");
        }
    }

    /** What serves one plain name: the page's folder, or the results folder. */
    private interface Lookup {
        Response serve(String name) throws IOException;
    }

    /** The first wall of StaticFiles, before any lookup: one plain name, or a 400. */
    private static Response plainNameOr400(String name, Lookup lookup) throws IOException {
        return StaticFiles.isPlainName(name) ? lookup.serve(name) : plain(400, NOT_A_PLAIN_NAME);
    }

    private Response page(String name) throws IOException {
        return found(pages.find(name));
    }

    private Response result(String name) throws IOException {
        return found(results.find(name));
    }

    private static Response found(Optional<StaticFiles.File> file) {
        if (file.isEmpty()) {
            return plain(404, "Not Found");
        }
        return file.get().contentType().startsWith("text/html")
                ? html(file.get().bytes())
                : file(file.get().bytes(), file.get().contentType());
    }

    /** Every HTML answer carries the policy, the results' pages as much as the dashboard's. */
    private static Response html(byte[] bytes) {
        return file(bytes, StaticFiles.PAGE_TYPES.get("html"))
                .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    private Response chartJs() throws IOException {
        if (!Files.isRegularFile(chartJs)) {
            // Only when lib/ was emptied after the build: say how to get it back.
            return plain(404, "Chart.js is missing from lib/: run ./build.sh deps");
        }
        return file(Files.readAllBytes(chartJs), StaticFiles.PAGE_TYPES.get("js"));
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
