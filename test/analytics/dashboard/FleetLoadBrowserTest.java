package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system2.System2;
import analytics.testing.Await;
import analytics.testing.HeadlessChromium;
import analytics.testing.JdkWebSocketClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The course's fleet, 10,000 servers, reporting to a real System 2 while the page follows
 * it in a real headless Chromium: the page counts all of them, draws a cell for each, and
 * lists the right top 20 - and it stays responsive while the metrics keep coming. A
 * liveness check, not a benchmark: every question to the page must be answered within
 * ANSWER_DEADLINE, which a page busy for seconds on each message would miss.
 */
class FleetLoadBrowserTest {

    private static final int SERVERS = 10_000;
    private static final int BATCH = 1_000;          // ~150 KB a message, well under 1 MiB
    private static final int ROUNDS = 5;             // one metric per server per round
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(2);

    /** A CPU figure per server, all different, in no order: 0.00 to 99.99. */
    private static double cpuOf(int server) {
        return (server * 7919L % SERVERS) / 100.0;
    }

    @Test
    void tenThousandServersAreCountedDrawnAndRankedWhileThePageStaysResponsive() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        try (System2 system2 = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
             Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM2_WS_PORT", String.valueOf(system2.port()))), DashboardBrowserTest.ROOT);
             JdkWebSocketClient producer = JdkWebSocketClient.connect("ws://127.0.0.1:" + system2.port());
             HeadlessChromium browser = HeadlessChromium.launch()) {
            assertEquals("connection.ack", producer.next().getString("type", ""));
            FleetPage page = new FleetPage(browser);
            page.open("http://127.0.0.1:" + dashboard.port() + "/#system=2");

            long slowest = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long timestamp = System.currentTimeMillis();
                for (int first = 1; first <= SERVERS; first += BATCH) {
                    producer.send(batch(first, timestamp));
                    assertEquals(BATCH, producer.next("metrics.ack").getInt("count", -1));
                }
                long asked = System.nanoTime();
                page.reportingCount();
                slowest = Math.max(slowest, System.nanoTime() - asked);
            }
            page.awaitReporting(SERVERS);
            assertEquals("10,000", page.text("document.getElementById('reporting-count').textContent"));
            Await.until("a cell per server", FleetPage.DEADLINE, () -> page.heatMapCells() == SERVERS);
            List<String> expected = IntStream.rangeClosed(1, SERVERS).boxed()
                    .sorted(Comparator.comparingDouble(FleetLoadBrowserTest::cpuOf).reversed())
                    .limit(20).map(i -> "server-" + i).toList();
            Await.until("the top 20 by CPU", FleetPage.DEADLINE, () -> page.topServers().equals(expected));
            assertTrue(page.received("tick") > 0, "followed in tick mode");
            long p = System.nanoTime();
            assertEquals(SERVERS, (int) page.number("dashboard.fleet.size"));
            slowest = Math.max(slowest, System.nanoTime() - p);
            long slowestMs = slowest / 1_000_000;
            assertTrue(slowestMs < ANSWER_DEADLINE.toMillis(),
                    "the page took " + slowestMs + " ms to answer while 10,000 servers reported");
            page.screenshot("system2-fleet-10000");
            page.assertNoErrors();
        }
    }

    /** {"type":"metrics","items":[...]}: System 2's batch, for servers first .. first+BATCH-1. */
    private static String batch(int first, long timestamp) {
        StringBuilder items = new StringBuilder("{\"type\":\"metrics\",\"items\":[");
        for (int i = first; i < first + BATCH; i++) {
            if (i > first) {
                items.append(',');
            }
            items.append(DashboardBrowserTest.metric("server-" + i, cpuOf(i), timestamp));
        }
        return items.append("]}").toString();
    }
}
