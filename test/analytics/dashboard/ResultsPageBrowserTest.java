package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.config.Config;
import analytics.loadtest.report.Comparison;
import analytics.loadtest.report.LevelResult;
import analytics.loadtest.report.ResultsCsv;
import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.HeadlessChromium;
import com.eclipsesource.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A comparison page as a person opens it: served by the dashboard at /results/, under the
 * dashboard's Content-Security-Policy, in a real headless Chromium. The charts must be drawn
 * from the page's data block with no console error (a CSP refusal would be one). Without
 * Chromium the test is reported as skipped, with the command to install it.
 */
class ResultsPageBrowserTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static LevelResult row(String scenario, int level, boolean saturated) {
        return new LevelResult(scenario, "h2", "open", level, 4, 2.0, level, level * 0.99, level * 2L,
                0.5, 1.0, level / 100.0, 3.0, 40.0, new TreeMap<>(Map.of()), 0.1, 0.2, 10.0, saturated,
                20.0, Double.NaN);
    }

    @Test
    void theComparisonPageDrawsItsChartsUnderTheDashboardsPolicy(@TempDir Path dir) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        // The checkout's page files and Chart.js, and a results folder of this test's own.
        Files.createSymbolicLink(dir.resolve("dashboard"), ROOT.resolve("dashboard").toAbsolutePath());
        Files.createSymbolicLink(dir.resolve("lib"), ROOT.resolve("lib").toAbsolutePath());
        Path run = Files.createDirectories(dir.resolve("results")).resolve("loadtest-20261130-180000.csv");
        for (int level : List.of(100, 1000)) {
            ResultsCsv.append(run, row("http1", level, false));
            ResultsCsv.append(run, row("http2", level, level == 1000));
            ResultsCsv.append(run, row("ws", level, false));
        }
        Comparison.write(run);
        try (Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0")), dir);
             HeadlessChromium browser = HeadlessChromium.launch()) {
            browser.navigate("http://127.0.0.1:" + dashboard.port() + "/results/loadtest-20261130-180000-compare.html");
            Await.until("three charts drawn", DEADLINE, () -> number(browser,
                    "['chart-p99','chart-rate','chart-cpu'].filter(id => window.Chart && Chart.getChart(id)).length") == 3);
            assertEquals(3, number(browser, "Chart.getChart('chart-p99').data.datasets.length"));
            assertEquals("logarithmic", browser.evaluate("Chart.getChart('chart-p99').options.scales.y.type").asString());
            // offered, then one achieved line per scenario
            assertEquals(4, number(browser, "Chart.getChart('chart-rate').data.datasets.length"));
            assertEquals("crossRot", browser.evaluate(
                    "Chart.getChart('chart-p99').data.datasets[1].pointStyle[1]").asString());
            assertEquals(List.of(), browser.errors());

            browser.navigate("http://127.0.0.1:" + dashboard.port() + "/results/");
            Await.until("the index lists the run", DEADLINE, () -> number(browser,
                    "document.querySelectorAll('.runs a[href$=\"-compare.html\"]').length") == 1);
            assertEquals(List.of(), browser.errors());
        }
    }

    private static double number(HeadlessChromium browser, String expression) {
        JsonValue value = browser.evaluate(expression);
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
