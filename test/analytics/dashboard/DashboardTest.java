package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.loadtest.report.Comparison;
import analytics.loadtest.report.LevelResult;
import analytics.loadtest.report.ResultsCsv;
import analytics.log.Log;
import com.eclipsesource.json.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's file server over real HTTP: java.net.http, and raw bytes where it normalises. */
class DashboardTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Config CONFIG = Config.from(Map.of("DASHBOARD_PORT", "0",
            "SYSTEM1_HTTP_PORT", "5000", "SYSTEM1_WS_PORT", "5002", "SYSTEM2_WS_PORT", "5100"));

    private Dashboard dashboard;

    @BeforeEach
    void start() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        dashboard = Dashboard.start(CONFIG, ROOT);
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    private HttpResponse<byte[]> send(String method, String path) throws Exception {
        return send(dashboard, method, path);
    }

    private static HttpResponse<byte[]> send(Dashboard dashboard, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
    }

    /** One request written byte for byte, so no client library tidies the path or the Host. */
    private String raw(String target, String host) throws Exception {
        return raw(dashboard, target, host);
    }

    private static String raw(Dashboard dashboard, String target, String host) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), dashboard.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesTheIndexAsHtmlWithItsSecurityHeaders() throws Exception {
        HttpResponse<byte[]> index = send("GET", "/");
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", header(index, "Content-Type"));
        assertEquals("nosniff", header(index, "X-Content-Type-Options"));
        assertEquals("no-cache", header(index, "Cache-Control"));
        assertTrue(header(index, "Content-Security-Policy").contains("default-src 'self'"));
        assertArrayEquals(Files.readAllBytes(ROOT.resolve("dashboard/index.html")), index.body());
    }

    @Test
    void servesScriptsAndStylesWithTheirTypes() throws Exception {
        HttpResponse<byte[]> app = send("GET", "/app.js");
        assertEquals(200, app.statusCode());
        assertEquals("text/javascript; charset=utf-8", header(app, "Content-Type"));
        assertArrayEquals(Files.readAllBytes(ROOT.resolve("dashboard/app.js")), app.body());
        assertEquals("text/css; charset=utf-8", header(send("GET", "/style.css"), "Content-Type"));
    }

    @Test
    void headAnswersWithoutABody() throws Exception {
        HttpResponse<byte[]> head = send("HEAD", "/app.js");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
    }

    @Test
    void servesChartJsExactlyAsPinnedInTheLock() throws Exception {
        HttpResponse<byte[]> chart = send("GET", "/vendor/chart.umd.js");
        assertEquals(200, chart.statusCode());
        assertEquals("text/javascript; charset=utf-8", header(chart, "Content-Type"));
        String pinned = Files.readAllLines(ROOT.resolve("scripts/dependencies.lock")).stream()
                .filter(line -> line.startsWith("npm:chart.js:"))
                .map(line -> line.split("\\s+")[1])
                .findFirst().orElseThrow(() -> new AssertionError("no npm:chart.js line in the lock"));
        String served = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chart.body()));
        assertEquals(pinned, served);
    }

    @Test
    void configJsonNamesEachSystemsPortsOnTheHostTheBrowserUsed() throws Exception {
        HttpResponse<byte[]> config = send("GET", "/config.json");
        assertEquals(200, config.statusCode());
        assertEquals("no-store", header(config, "Cache-Control"));
        String host = "127.0.0.1"; // java.net.http sends Host: 127.0.0.1:<port>
        assertEquals(Json.parse("{\"system1\":{\"wsUrl\":\"ws://" + host + ":5002\","
                        + "\"statsUrl\":\"http://" + host + ":5000/stats\","
                        + "\"broadcasterStatsUrl\":\"http://" + host + ":5002/stats\"},"
                        + "\"system2\":{\"wsUrl\":\"ws://" + host + ":5100\","
                        + "\"statsUrl\":\"http://" + host + ":5100/stats\"}}"),
                Json.parse(new String(config.body(), StandardCharsets.UTF_8)));
    }

    @Test
    void configJsonUsesTheHostHeaderAndFallsBackToLocalhost() throws Exception {
        assertTrue(raw("/config.json", "dashboards.example:8080").contains("\"ws://dashboards.example:5100\""));
        assertTrue(raw("/config.json", "[::1]:8080").contains("\"ws://[::1]:5100\""));
        assertTrue(raw("/config.json", "evil\"host").contains("\"ws://localhost:5100\""));
        assertEquals("localhost", ConfigJson.hostOf(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../build.sh", "/%2e%2e/build.sh", "/..%2fbuild.sh", "/%2e%2e%2fbuild.sh",
            "/x/..%2f..%2fbuild.sh", "/..%5cbuild.sh", "//build.sh", "/.env", "/README.md",
            "/vendor/../../build.sh", "/app.js%00.css", "/results/../build.sh", "/results/%2e%2e/build.sh",
            "/results/..%2fbuild.sh", "/results/%2e%2e%2fbuild.sh", "/results/%2E%2E%2Fbuild.sh",
            "/results/.%2e/build.sh", "/results//build.sh", "/results/..", "/results/../results/x.csv"})
    void refusesEveryPathThatIsNotOneOfItsFiles(String target) throws Exception {
        String answer = raw(target, "127.0.0.1");
        String status = answer.substring(0, answer.indexOf("\r\n"));
        assertTrue(status.equals("HTTP/1.1 400 Bad Request") || status.equals("HTTP/1.1 404 Not Found"), status);
        assertFalse(answer.contains("#!/usr/bin/env bash"), "the file leaked");
    }

    @Test
    void refusesEveryOtherMethodWith405() throws Exception {
        HttpResponse<byte[]> post = send("POST", "/");
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", header(post, "Allow"));
        assertEquals(405, send("DELETE", "/app.js").statusCode());
    }

    // --- /results/ ------------------------------------------------------------------------------

    /** A project root of its own, so no test writes into the checkout's results/. */
    private static Path projectRoot(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("dashboard"));
        Files.writeString(dir.resolve("build.sh"), "#!/usr/bin/env bash\necho the secret\n");
        return dir;
    }

    private static LevelResult row(String scenario, int level) {
        return new LevelResult(scenario, "websocket", "open", level, 50, 2.0, level, level, level * 2L,
                0.5, 1.0, 2.0, 3.0, 4.0, new TreeMap<>(), 0.1, 0.2, 10.0, false, 20.0, Double.NaN);
    }

    @Test
    void resultsListsComparePagesNewestFirstAndServesThem(@TempDir Path dir) throws Exception {
        Path results = Files.createDirectories(projectRoot(dir).resolve("results"));
        Files.writeString(results.resolve("loadtest-20261130-180000-compare.html"), "<!doctype html><p>older");
        Path run = results.resolve("loadtest-20261201-090000.csv");
        ResultsCsv.append(run, row("ws", 100));
        List<Path> compared = Comparison.write(run);
        Files.writeString(results.resolve("notes.txt"), "not ours to serve");
        try (Dashboard own = Dashboard.start(CONFIG, dir)) {
            HttpResponse<byte[]> index = send(own, "GET", "/results/");
            assertEquals(200, index.statusCode());
            assertEquals("text/html; charset=utf-8", header(index, "Content-Type"));
            assertTrue(header(index, "Content-Security-Policy").contains("default-src 'self'"));
            String list = new String(index.body(), StandardCharsets.UTF_8);
            int newer = list.indexOf("<a href=\"loadtest-20261201-090000-compare.html\">");
            int older = list.indexOf("<a href=\"loadtest-20261130-180000-compare.html\">");
            assertTrue(newer > 0 && older > newer, list);
            assertTrue(list.contains("<a href=\"loadtest-20261201-090000.csv\">run CSV</a>"), list);

            HttpResponse<byte[]> page = send(own, "GET", "/results/loadtest-20261201-090000-compare.html");
            assertEquals(200, page.statusCode());
            assertArrayEquals(Files.readAllBytes(compared.get(2)), page.body());
            assertTrue(header(page, "Content-Security-Policy").contains("default-src 'self'"));
            assertEquals("text/csv; charset=utf-8",
                    header(send(own, "GET", "/results/loadtest-20261201-090000-compare.csv"), "Content-Type"));
            assertEquals("text/plain; charset=utf-8",
                    header(send(own, "GET", "/results/loadtest-20261201-090000-compare.md"), "Content-Type"));
            assertEquals(404, send(own, "GET", "/results/notes.txt").statusCode());
            assertEquals(404, send(own, "GET", "/results/loadtest-19990101-000000-compare.html").statusCode());
        }
    }

    @Test
    void resultsWithoutAFolderSaysHowToMakeOne(@TempDir Path dir) throws Exception {
        try (Dashboard own = Dashboard.start(CONFIG, projectRoot(dir))) {
            HttpResponse<byte[]> index = send(own, "GET", "/results/");
            assertEquals(200, index.statusCode());
            String body = new String(index.body(), StandardCharsets.UTF_8);
            assertTrue(body.contains("<code>make loadtest</code>"), body);
            assertFalse(body.contains("<li>"), body);
            assertEquals(404, send(own, "GET", "/results/x-compare.html").statusCode());
        }
    }

    /** The project root is one step above results/: the file there must never come back. */
    @ParameterizedTest
    @ValueSource(strings = {"/results/../build.sh", "/results/%2e%2e/build.sh", "/results/..%2fbuild.sh",
            "/results/%2e%2e%2fbuild.sh", "/results/..%5cbuild.sh", "/results/.%2E/build.sh"})
    void resultsRefusesToLeaveItsFolder(String target, @TempDir Path dir) throws Exception {
        Files.createDirectories(projectRoot(dir).resolve("results"));
        try (Dashboard own = Dashboard.start(CONFIG, dir)) {
            String answer = raw(own, target, "127.0.0.1");
            String status = answer.substring(0, answer.indexOf("\r\n"));
            assertTrue(status.equals("HTTP/1.1 400 Bad Request") || status.equals("HTTP/1.1 404 Not Found"), status);
            assertFalse(answer.contains("the secret"), "the file leaked");
        }
    }
}
