package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system2.System2;
import analytics.testing.Await;
import analytics.testing.HeadlessChromium;
import analytics.testing.JdkWebSocketClient;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The page in a real headless Chromium against a real System 2: the servers it lists are
 * the ones producers reported, found through the snapshot on connect and through pushes.
 */
class DashboardBrowserTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static String metric(String serverId) {
        return "{\"type\":\"metric\",\"serverId\":\"" + serverId + "\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}}";
    }

    @Test
    void thePageListsTheServersSystem2ReportsAndLogsNoError() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        try (System2 system2 = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
             DashboardServer dashboard = DashboardServer.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM2_WS_PORT", String.valueOf(system2.port()))), ROOT);
             JdkWebSocketClient producer = JdkWebSocketClient.connect("ws://127.0.0.1:" + system2.port());
             HeadlessChromium browser = HeadlessChromium.launch()) {
            assertEquals("connection.ack", producer.next().getString("type", ""));
            producer.send(metric("server-a")); // before the page opens: only the snapshot can show it
            assertEquals("metric.ack", producer.next().getString("type", ""));

            browser.navigate("http://127.0.0.1:" + dashboard.port() + "/?system=system2");
            Await.until("the page is connected to System 2", DEADLINE, () -> text(browser,
                    "document.getElementById('connection-status')?.dataset.state").equals("open"));
            producer.send(metric("server-c")); // after: these arrive as tick pushes
            producer.send(metric("server-b"));

            Await.until("the filter lists the three servers", DEADLINE, () -> text(browser,
                    "[...document.querySelectorAll('#server-filter option')].map(o => o.value).join()")
                    .equals(",server-a,server-b,server-c"));
            Await.until("one CPU line per server", DEADLINE,
                    () -> number(browser, "Chart.getChart('chart-cpu').data.datasets.length") == 3);
            assertEquals(Json.value(true), browser.evaluate("document.getElementById('empty-state').hidden"));

            // Choosing a server re-registers the page as a dashboard for that server only.
            browser.evaluate("const f = document.getElementById('server-filter'); f.value = 'server-b';"
                    + "f.dispatchEvent(new Event('change'))");
            Await.until("one CPU line for the chosen server", DEADLINE,
                    () -> number(browser, "Chart.getChart('chart-cpu').data.datasets.length") == 1);
            Await.until("the stats panel shows this dashboard", DEADLINE, () -> text(browser,
                    "document.querySelector('[data-stat=dashboards]').textContent").equals("1"));
            assertEquals(List.of(), browser.errors());
        }
    }

    private static String text(HeadlessChromium browser, String expression) {
        JsonValue value = browser.evaluate(expression);
        return value.isString() ? value.asString() : value.toString();
    }

    private static double number(HeadlessChromium browser, String expression) {
        JsonValue value = browser.evaluate("(() => { try { return " + expression + "; } catch { return -1; } })()");
        return value.isNumber() ? value.asDouble() : -1;
    }
}
