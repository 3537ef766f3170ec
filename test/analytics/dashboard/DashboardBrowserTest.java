package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.System1;
import analytics.system2.System2;
import analytics.testing.Await;
import analytics.testing.HeadlessChromium;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The page in a real headless Chromium against each real system: the servers it lists are
 * the ones producers reported, found through the snapshot on connect and through pushes,
 * and the browser logs no error on the way. Without Chromium both are reported as skipped,
 * with the command to install it (HeadlessChromium.launch).
 */
@ExtendWith(RedisExtension.class)
class DashboardBrowserTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String metric(String serverId) {
        return "{\"serverId\":\"" + serverId + "\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"cpu\":42.5,\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}}";
    }

    /** On System 2 the metric carries its own "type" in front. */
    private static String system2Metric(String serverId) {
        return "{\"type\":\"metric\"," + metric(serverId).substring(1);
    }

    @Test
    void thePageFollowsSystem2() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        try (System2 system2 = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
             Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM2_WS_PORT", String.valueOf(system2.port()))), ROOT);
             JdkWebSocketClient producer = JdkWebSocketClient.connect("ws://127.0.0.1:" + system2.port());
             HeadlessChromium browser = HeadlessChromium.launch()) {
            assertEquals("connection.ack", producer.next().getString("type", ""));
            producer.send(system2Metric("server-a"));
            assertEquals("metric.ack", producer.next().getString("type", ""));
            checkThePage(browser, "http://127.0.0.1:" + dashboard.port() + "/?system=system2",
                    List.of("server-a", "server-b", "server-c"),
                    serverId -> producer.send(system2Metric(serverId)));
        }
    }

    @Test
    void thePageFollowsSystem1(RedisProcess redis) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        String unique = "dashboard-" + System.nanoTime(); // the Redis is shared with other tests
        Config config = redis.system1Config(unique, "SYSTEM1_WORKER_COUNT", "1");
        try (System1 system1 = System1.start(config);
             Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM1_HTTP_PORT", String.valueOf(system1.httpPort()),
                     "SYSTEM1_WS_PORT", String.valueOf(system1.wsPort()))), ROOT);
             HeadlessChromium browser = HeadlessChromium.launch()) {
            URI ingest = URI.create("http://127.0.0.1:" + system1.httpPort() + "/metrics");
            MetricSender post = serverId -> {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(ingest)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(metric(serverId))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, answer.statusCode(), answer.body());
            };
            post.send(unique + "-a");
            // The snapshot is read from Redis: wait until the worker has written the sample.
            try (Jedis jedis = redis.jedis()) {
                Await.until("the worker stored the first sample", DEADLINE,
                        () -> jedis.exists("metrics:latest:" + unique + "-a"));
            }
            checkThePage(browser, "http://127.0.0.1:" + dashboard.port() + "/?system=system1",
                    List.of(unique + "-a", unique + "-b", unique + "-c"), post);
        }
    }

    /** What both systems must give the page: discovery, one line per server, the filter, stats. */
    private static void checkThePage(HeadlessChromium browser, String url, List<String> servers,
                                     MetricSender sendMetric) throws Exception {
        browser.navigate(url);
        Await.until("the page is connected", DEADLINE, () -> text(browser,
                "document.getElementById('connection-status')?.dataset.state").equals("open"));
        // servers.get(0) was sent before the page opened: only the snapshot can show it.
        sendMetric.send(servers.get(2));
        sendMetric.send(servers.get(1));
        Await.until("the filter lists " + servers, DEADLINE, () -> List.of(text(browser,
                "[...document.querySelectorAll('#server-filter option')].map(o => o.value).join()")
                .split(",")).containsAll(servers));
        Await.until("a CPU line per server", DEADLINE,
                () -> number(browser, "Chart.getChart('chart-cpu').data.datasets.length") >= servers.size());
        assertEquals(Json.value(true), browser.evaluate("document.getElementById('empty-state').hidden"));

        // Choosing a server tells the system (subscribe / register) and narrows the charts.
        browser.evaluate("const f = document.getElementById('server-filter'); f.value = '" + servers.get(1)
                + "'; f.dispatchEvent(new Event('change'))");
        Await.until("one CPU line for the chosen server", DEADLINE,
                () -> number(browser, "Chart.getChart('chart-cpu').data.datasets.length") == 1);
        Await.until("the stats panel counts this dashboard", DEADLINE, () -> text(browser,
                "document.querySelector('[data-stat=dashboards]').textContent").equals("1"));
        assertTrue(browser.errors().isEmpty(), () -> "the browser logged errors: " + browser.errors());
    }

    /** Sends one metric for a server, by whichever transport the system under test takes. */
    @FunctionalInterface
    private interface MetricSender {
        void send(String serverId) throws Exception;
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
