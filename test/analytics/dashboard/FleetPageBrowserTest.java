package analytics.dashboard;

import static analytics.dashboard.DashboardBrowserTest.system2Metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system2.System2;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.HeadlessChromium;
import analytics.testing.JdkWebSocketClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet view and the server view against a real System 2, in a real headless Chromium,
 * driven as a reader drives them: the mouse over the heat map, a click, typing in the search
 * box, a column's sort button, a shared address. What the page shows is checked against
 * the values the producer sent.
 */
class FleetPageBrowserTest {

    private final Closer closer = new Closer();
    private System2 system2;
    private JdkWebSocketClient producer;
    private FleetPage page;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        system2 = closer.add(System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0"))));
        Dashboard dashboard = closer.add(Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                "SYSTEM2_WS_PORT", String.valueOf(system2.port()))), DashboardBrowserTest.ROOT));
        producer = closer.add(JdkWebSocketClient.connect("ws://127.0.0.1:" + system2.port()));
        page = new FleetPage(closer.add(HeadlessChromium.launch()));
        base = "http://127.0.0.1:" + dashboard.port() + "/";
    }

    @AfterEach
    void stop() {
        closer.close();
    }

    private void send(String serverId, double cpu, double memory, long timestamp) {
        producer.send(system2Metric(serverId, cpu, timestamp).replace("\"memory\":61.2", "\"memory\":" + memory));
    }

    @Test
    void hoveringACellNamesItsServerAndAClickOpensIt() throws Exception {
        page.open(base + "#system=2");
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 5; i++) {
            send("server-" + i, i * 10, 50, now);
        }
        page.awaitReporting(5);
        Await.until("five cells", FleetPage.DEADLINE, () -> page.heatMapCells() == 5);

        String tooltip = page.hoverCell("server-3");
        assertTrue(tooltip.startsWith("server-3 — CPU 30.0 %"), tooltip);
        page.clickCell("server-3");
        page.awaitServerView("server-3");
        assertEquals("#system=2&server=server-3", page.hash());
        page.awaitServerFigure(0, "30.0 %");
        page.screenshot("system2-server");
        page.assertNoErrors();
    }

    @Test
    void theTopTableListsTheTwentyHighestOfTheChosenColumn() throws Exception {
        page.open(base + "#system=2");
        long now = System.currentTimeMillis();
        List<int[]> sent = new ArrayList<>(); // {server number, cpu, memory}
        for (int i = 1; i <= 30; i++) {
            int cpu = (i * 37) % 97;          // distinct, in no order
            int memory = 100 - i * 3;         // the first servers are the fullest
            send("server-" + i, cpu, memory, now);
            sent.add(new int[] {i, cpu, memory});
        }
        page.awaitReporting(30);
        Await.until("the table by CPU", FleetPage.DEADLINE,
                () -> page.topServers().equals(highest(sent, 1)));

        page.sortTopTableBy(1);
        Await.until("the table by memory", FleetPage.DEADLINE,
                () -> page.topServers().equals(highest(sent, 2)));
        assertEquals("server-1", page.topServers().get(0));
        page.assertNoErrors();
    }

    /** The names of the 20 servers with the highest figure in column `column`, highest first. */
    private static List<String> highest(List<int[]> sent, int column) {
        return sent.stream().sorted(Comparator.comparingInt((int[] row) -> row[column]).reversed())
                .limit(20).map(row -> "server-" + row[0]).toList();
    }

    @Test
    void theSearchBoxFindsAServerByTypingAndEnterOpensIt() throws Exception {
        page.open(base + "#system=2");
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 40; i++) {
            send("server-" + i, 20, 50, now);
        }
        page.awaitReporting(40);
        assertEquals(List.of("server-3", "server-30", "server-31", "server-32", "server-33", "server-34",
                "server-35", "server-36", "server-37", "server-38"), page.search("server-3"),
                "the first ten matches, in the order a person counts");
        assertEquals(List.of("server-27"), page.search("ver-27"));
        page.pressEnter();
        page.awaitServerView("server-27");
        assertEquals("#system=2&server=server-27", page.hash());
        page.assertNoErrors();
    }

    @Test
    void aSharedAddressOpensTheServerAndTheSystemSendsOnlyThatServer() throws Exception {
        long now = System.currentTimeMillis();
        send("server-7", 70, 50, now);
        send("server-8", 80, 50, now);
        page.open(base + "#system=2&server=server-7");
        page.awaitServerView("server-7");
        page.awaitServerFigure(0, "70.0 %");

        // 2 s later by their stamps, so the 1 s window holds the new sample alone.
        send("server-8", 99, 50, now + 2000);
        send("server-7", 11, 50, now + 2000); // pushed after server-8's: it had its chance
        page.awaitServerFigure(0, "11.0 %");
        assertTrue(page.latestCpu("server-8") != 99.0, "System 2 filtered server-8 out, not the page");
        assertTrue(page.received("metric.update") > 0, "one server is followed per metric");
        assertEquals(0, page.received("tick"));

        page.backToFleet();
        assertEquals("#system=2", page.hash());
        Await.until("the fleet's snapshot brings server-8's 99", FleetPage.DEADLINE,
                () -> page.latestCpu("server-8") == 99.0);
        page.assertNoErrors();
    }

    @Test
    void theWindowChooserShowsSystem2sLongerAverages() throws Exception {
        long now = System.currentTimeMillis();
        send("server-w", 10, 50, now - 8000); // inside 10 s of the newest, outside 1 s and 5 s
        send("server-w", 90, 50, now);
        page.open(base + "#system=2&server=server-w");
        page.awaitServerView("server-w");
        page.awaitServerFigure(0, "90.0 %");  // the 1 s window: the newest sample alone

        page.chooseWindow("10000");
        page.awaitServerFigure(0, "50.0 %");  // 10 s: both samples
        assertTrue(page.hash().contains("window=10000"), page.hash());
        page.assertNoErrors();
    }

    @Test
    void theDelayIsMeasuredFromTheMetricsOwnTimestamp() throws Exception {
        page.open(base + "#system=2");
        // Stamped as they are sent: the delay is the pipeline's own, well under a second.
        for (int round = 0; round < 12; round++) {
            long now = System.currentTimeMillis();
            for (int i = 1; i <= 20; i++) {
                send("server-" + i, 30, 50, now);
            }
            Thread.sleep(100); // a producer's pace, not a wait for the page: Await follows
        }
        Await.until("a delay figure", FleetPage.DEADLINE, () -> !page.live("p50").equals("—"));
        int p50 = milliseconds(page.live("p50"));
        assertTrue(p50 >= 0 && p50 < 1000, "delay p50 " + p50 + " ms on one machine");

        // Other servers, stamped 3 s ago: the page must report what the metric says, not
        // when it arrived. (Not the same servers: System 2 stamps an aggregate with its
        // newest sample, and these would be older than the ones above.)
        for (int round = 0; round < 40; round++) {
            long now = System.currentTimeMillis();
            for (int i = 101; i <= 120; i++) {
                send("server-" + i, 30, 50, now - 3000);
            }
            Thread.sleep(50);
            if (round == 35) { // the last whole second of the page's count was a busy one
                assertTrue(Integer.parseInt(page.live("messagesPerSecond")) > 0, page.live("messagesPerSecond"));
            }
        }
        Await.until("the p95 shows the 3 s old stamps", FleetPage.DEADLINE,
                () -> milliseconds(page.live("p95")) >= 3000);
        page.assertNoErrors();
    }

    private static int milliseconds(String shown) {
        Matcher m = Pattern.compile("(-?\\d+) ms").matcher(shown);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void thePageSurvivesItsSystemGoingAwayAndComingBack() throws Exception {
        page.open(base + "#system=2");
        send("server-1", 40, 50, System.currentTimeMillis());
        page.awaitReporting(1);
        int port = system2.port();
        producer.close();
        system2.close();
        Await.until("the page notices", FleetPage.DEADLINE, () -> page.status().equals("retrying"));

        try (System2 again = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", String.valueOf(port))));
             JdkWebSocketClient newProducer = JdkWebSocketClient.connect("ws://127.0.0.1:" + again.port())) {
            Await.until("the page is back", FleetPage.DEADLINE, () -> page.status().equals("open"));
            newProducer.send(system2Metric("server-2", 60, System.currentTimeMillis()));
            Await.until("a metric of the new system shows", FleetPage.DEADLINE,
                    () -> page.latestCpu("server-2") == 60.0);
        }
    }
}
