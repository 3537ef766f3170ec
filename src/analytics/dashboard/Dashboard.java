package analytics.dashboard;

import analytics.config.Config;
import analytics.config.ConfigException;
import analytics.http.Http1Server;
import analytics.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dashboard program assembled: on DASHBOARD_PORT, the files of dashboard/, Chart.js
 * from lib/, /config.json built from the same configuration the systems read, and the load
 * test results of results/ at /results/.
 *
 * Pattern: composition root - the JDK HTTP server adapter, reused, around a static handler.
 * Lesson:  lessons/15-the-dashboard-page.md
 * Not here: the accept loop (Http1Server's); anything the page does - this program never
 *           talks to the systems itself.
 * Threads: start and close from one thread; requests run on virtual threads.
 */
public final class Dashboard implements AutoCloseable {

    /** The page sends no bodies: a request that has one is refused unread (405 or 400). */
    private static final int MAX_BODY_BYTES = 0;

    private static final Log LOG = Log.get(Dashboard.class);

    private final Http1Server http;

    private Dashboard(Http1Server http) {
        this.http = http;
    }

    /** Serves from the project root in the working directory, as {@code make dashboard} runs it. */
    public static Dashboard start(Config config) throws IOException {
        return start(config, Path.of(""));
    }

    /**
     * @param projectRoot the folder holding dashboard/, lib/ and results/ (tests pass the
     *                    checkout's); results/ may be missing until the first load test
     * @throws analytics.config.ConfigException when DASHBOARD_PORT is already in use
     */
    public static Dashboard start(Config config, Path projectRoot) throws IOException {
        Path pages = projectRoot.resolve("dashboard");
        Path chartJs = projectRoot.resolve("lib").resolve(DashboardHandler.CHART_JS_FILE);
        if (!Files.isDirectory(pages)) {
            throw new IOException("no dashboard/ folder under " + projectRoot.toAbsolutePath());
        }
        DashboardHandler handler = new DashboardHandler(new StaticFiles(pages, StaticFiles.PAGE_TYPES),
                chartJs, new ConfigJson(config), new ResultsFolder(projectRoot.resolve("results")));
        Http1Server http = ConfigException.bindOrFail("DASHBOARD_PORT", config.dashboardPort(),
                () -> Http1Server.start(config.bindHost(), config.dashboardPort(), MAX_BODY_BYTES, handler));
        LOG.info("dashboard ready", "url", "http://" + config.bindHost() + ":" + http.port() + "/");
        return new Dashboard(http);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }
}
