package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The page in a real headless Chromium against each real system, on what both systems
 * offer: the servers it counts are the ones producers reported, found through the snapshot
 * on connect and through pushes; the old address (?system=system2) still works; a server
 * opened from the search box is followed through the system's own filter; the browser
 * logs no error on the way. Without Chromium both are reported as skipped, with the
 * command to install it (HeadlessChromium.launch).
 */
@ExtendWith(RedisExtension.class)
class DashboardBrowserTest {

    static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static String metric(String serverId, double cpu, long timestamp) {
        return "{\"serverId\":\"" + serverId + "\",\"timestamp\":" + timestamp + ",\"metrics\":{\"cpu\":"
                + cpu + ",\"memory\":61.2,\"disk\":70.1,\"network\":{\"in\":320,\"out\":210}}}";
    }

    /** On System 2 the metric carries its own "type" in front. */
    static String system2Metric(String serverId, double cpu, long timestamp) {
        return "{\"type\":\"metric\"," + metric(serverId, cpu, timestamp).substring(1);
    }

    @Test
    void thePageFollowsSystem2() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        try (System2 system2 = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
             Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM2_WS_PORT", String.valueOf(system2.port()))), ROOT);
             JdkWebSocketClient producer = JdkWebSocketClient.connect("ws://127.0.0.1:" + system2.port());
             HeadlessChromium browser = HeadlessChromium.launch()) {
            FleetPage page = new FleetPage(browser);
            page.open("http://127.0.0.1:" + dashboard.port() + "/?system=system2");
            // Nothing reported yet: the page says what to start, and draws nothing.
            Await.until("the empty state", FleetPage.DEADLINE, page::emptyStateShown);
            assertTrue(page.emptyStateText().contains("make senders MODE=ws"), page.emptyStateText());
            assertEquals(0, page.heatMapCells());
            assertTrue(page.address().endsWith("/#system=2"), "the old ?system= is now a hash: " + page.address());

            long now = System.currentTimeMillis();
            producer.send(system2Metric("server-a", 10, now));
            browser.navigate("about:blank");      // server-a was sent before the page opened:
            page.open("http://127.0.0.1:" + dashboard.port() + "/#system=2"); // only the snapshot shows it
            page.awaitReporting(1);
            producer.send(system2Metric("server-b", 20, now));
            producer.send(system2Metric("server-c", 30, now));
            page.awaitReporting(3);
            assertEquals(3, page.heatMapCells());
            assertEquals(List.of("server-c", "server-b", "server-a"), page.topServers());
            assertTrue(page.received("tick") > 0, "the fleet is followed in tick mode");
            assertEquals(0, page.received("metric.update"), "no message per metric in tick mode");
            assertTrue(!page.emptyStateShown(), "the empty state goes once a server reports");
            Await.until("the stats panel counts this dashboard", FleetPage.DEADLINE,
                    () -> page.stat("dashboards").equals("1"));
            page.screenshot("system2-fleet");
            page.assertNoErrors();
        }
    }

    @Test
    void thePageFollowsSystem1(RedisProcess redis) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        String unique = "dashboard-" + System.nanoTime(); // the Redis is shared with other tests
        // One worker: metrics are processed, and so pushed, in the order they were posted.
        Config config = redis.system1Config(unique, "SYSTEM1_WORKER_COUNT", "1");
        try (System1 system1 = System1.start(config);
             Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM1_HTTP_PORT", String.valueOf(system1.httpPort()),
                     "SYSTEM1_WS_PORT", String.valueOf(system1.wsPort()))), ROOT);
             HeadlessChromium browser = HeadlessChromium.launch()) {
            URI ingest = URI.create("http://127.0.0.1:" + system1.httpPort() + "/metrics");
            MetricSender post = (serverId, cpu) -> {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(ingest)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(metric(serverId, cpu,
                                System.currentTimeMillis()))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(202, answer.statusCode(), answer.body());
            };
            String a = unique + "-a";
            String b = unique + "-b";
            String c = unique + "-c";
            post.send(a, 10);
            // The snapshot is read from Redis: wait until the worker has written the sample.
            try (Jedis jedis = redis.jedis()) {
                Await.until("the worker stored the first sample", FleetPage.DEADLINE,
                        () -> jedis.exists("metrics:latest:" + a));
            }
            FleetPage page = new FleetPage(browser);
            page.open("http://127.0.0.1:" + dashboard.port() + "/?system=system1");
            post.send(b, 20);
            post.send(c, 30);
            // Other tests' servers may be in the shared Redis: ask the search box for ours.
            Await.until("the search finds the three servers", FleetPage.DEADLINE,
                    () -> page.search(unique).equals(List.of(a, b, c)));
            assertTrue(page.reportingCount() >= 3, "counted: " + page.reportingCount());

            // Open b from the search: the page sends subscribe with b, so c no longer comes.
            page.search(b);
            page.pressEnter();
            page.awaitServerView(b);
            assertTrue(page.hash().contains("system=1") && page.hash().contains("server=" + b), page.hash());
            post.send(c, 99);
            post.send(b, 11);                      // pushed after c's: c had its chance
            page.awaitServerFigure(0, "11.0 %");
            assertNotEquals(99.0, page.latestCpu(c), "the system filtered c out, not the page");
            page.screenshot("system1-server");

            page.backToFleet();                    // back to all: the snapshot brings c's 99
            Await.until("c's latest figure after the snapshot", FleetPage.DEADLINE,
                    () -> page.latestCpu(c) == 99.0);
            Await.until("the stats panel counts this dashboard", FleetPage.DEADLINE,
                    () -> page.stat("dashboards").equals("1"));
            page.assertNoErrors();
        }
    }

    /** Sends one metric for a server, by whichever transport the system under test takes. */
    @FunctionalInterface
    private interface MetricSender {
        void send(String serverId, double cpu) throws Exception;
    }
}
