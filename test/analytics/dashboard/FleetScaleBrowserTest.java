package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import analytics.config.Config;
import analytics.log.Log;
import analytics.sender.SenderOptions;
import analytics.sender.Senders;
import analytics.system1.System1;
import analytics.system2.System2;
import analytics.testing.Await;
import analytics.testing.HeadlessChromium;
import analytics.testing.HeadlessChromium.MainThreadUse;
import analytics.testing.RedisProcess;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The course's scenario end to end, with nothing simulated but the servers themselves: the
 * project's own fake senders report 10,000 servers to a real System 2 (WebSocket, one
 * metric a second each: 10,000 a second) and 10,000 others to a real System 1 (HTTP, one
 * every 10 s each, FAKE_SERVER_INTERVAL_MS=10000: 1,000 a second, through a real Redis),
 * while the page follows first System 2, then - switched with its radio button - System 1,
 * in a real headless Chromium. On each: the fleet view fills, the top table is in order, the
 * delay figure is plausible, one server opens, and the page's own main thread stays under
 * MAX_BUSY_FRACTION - measured by Chromium over MEASURED_WINDOW, not guessed from outside.
 *
 * Which "busy" is asserted: the main thread's own CPU time (MainThreadUse.onCpuFraction),
 * with Chromium's task time printed beside it. A task's duration is wall time, and on this
 * test's two cores the senders (10,000 metrics a second), System 2 and Chromium together
 * keep both cores full, so the page's tasks wait for a core and Chromium's figure counts
 * the wait: on a quiet machine, 39 % by Chromium's count was 21 % on a CPU. The page's own
 * cost is the second figure; the first measures the machine the test itself saturates.
 *
 * Each fleet reports while the page follows its system, not both at once: on two cores the
 * two fleets, both systems, Redis and Chromium together are more than the machine has (both
 * at once, System 2's senders got 5,800 to 6,700 of their 10,000 metrics a second through,
 * and every process, the page included, ran late for want of a core). The figures - busy
 * time, delay, counts, the senders' real rates - are printed, to read beside the asserts.
 */
class FleetScaleBrowserTest {

    private static final int SERVERS = 10_000;
    /** Close to all: a server whose first send is still in a sender's buffer is not missed. */
    private static final int NEARLY_ALL = SERVERS * 99 / 100;
    /** Two fleets told apart by their numbers: server-1.. on System 2, server-20001.. on System 1. */
    private static final int SYSTEM2_FIRST = 1;
    private static final int SYSTEM1_FIRST = 20_001;
    private static final String SYSTEM2_INTERVAL_MS = "1000";   // 10,000 metrics a second
    private static final String SYSTEM1_INTERVAL_MS = "10000";  // 1,000 metrics a second
    /** System 1's servers send once in 10 s: a full fleet takes that long to be heard once. */
    private static final Duration FILL_DEADLINE = Duration.ofSeconds(30);
    private static final Duration MEASURED_WINDOW = Duration.ofSeconds(10);
    /** The bound: the page may keep its main thread busy at most this much (on a CPU). */
    private static final double MAX_BUSY_FRACTION = 0.30;
    private static final int MAX_DELAY_MS = 1000;
    /** Functions named when the page is too busy: the few that matter. */
    private static final int PROFILE_LINES = 15;
    private static final int CPU = 0;
    private static final int MEMORY = 1;

    /** One system under test as the page sees it. */
    private record Followed(String system, String hash, int first, Senders senders, double metricsPerSecond) {
    }

    @Test
    void tenThousandServersOnEachSystemFillTheFleetViewWhileThePageStaysLight() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        // A Redis of its own: the workers' per-server keys (metrics:servers, metrics:latest:*)
        // are not namespaced by stream, so a shared Redis would hand System 1's snapshot the
        // server-N of every test before this one.
        try (RedisProcess redis = RedisProcess.startPrivate()) {
            run(redis);
        }
    }

    private void run(RedisProcess redis) throws Exception {
        Config system1Config = redis.system1Config("fleetscale-" + System.nanoTime(),
                "FAKE_SERVER_INTERVAL_MS", SYSTEM1_INTERVAL_MS);
        Config system2Config = Config.from(Map.of("SYSTEM2_WS_PORT", "0",
                "FAKE_SERVER_INTERVAL_MS", SYSTEM2_INTERVAL_MS));
        try (System1 system1 = System1.start(system1Config);
             System2 system2 = System2.start(system2Config);
             Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM1_HTTP_PORT", String.valueOf(system1.httpPort()),
                     "SYSTEM1_WS_PORT", String.valueOf(system1.wsPort()),
                     "SYSTEM2_WS_PORT", String.valueOf(system2.port()))), DashboardBrowserTest.ROOT);
             HeadlessChromium browser = HeadlessChromium.launch()) {
            FleetPage page = new FleetPage(browser);
            page.open("http://127.0.0.1:" + dashboard.port() + "/#system=2");
            Senders wsSenders = Senders.start(senders("ws", "ws://127.0.0.1:" + system2.port(),
                    SYSTEM2_FIRST, system2Config));
            try (wsSenders) {
                followsTheFleet(page, browser, new Followed("system2", "#system=2", SYSTEM2_FIRST, wsSenders,
                        SERVERS * 1000.0 / Integer.parseInt(SYSTEM2_INTERVAL_MS)), MEMORY);
            }
            Senders httpSenders = Senders.start(senders("http", "http://127.0.0.1:" + system1.httpPort()
                    + "/metrics", SYSTEM1_FIRST, system1Config));
            try (httpSenders) {
                page.chooseSystem("system1");
                Await.until("the address names System 1", FleetPage.DEADLINE,
                        () -> page.hash().equals("#system=1"));
                Await.until("System 1 connected", FleetPage.DEADLINE, () -> page.status().equals("open"));
                followsTheFleet(page, browser, new Followed("system1", "#system=1", SYSTEM1_FIRST, httpSenders,
                        SERVERS * 1000.0 / Integer.parseInt(SYSTEM1_INTERVAL_MS)), CPU);
                assertEquals(0, page.serversNumbered(SYSTEM2_FIRST, SERVERS),
                        "System 2's servers are forgotten: ids mean something within one system only");
            }
            page.assertNoErrors();
        }
    }

    /** The project's fake senders, in-process: SERVERS servers from server-{first}. */
    private static SenderOptions senders(String mode, String target, int first, Config config) {
        return SenderOptions.parse(new String[] {"--mode", mode, "--target", target,
                "--count", String.valueOf(SERVERS), "--first", String.valueOf(first)}, config.fakeServers());
    }

    /**
     * Everything checked of one system's fleet, in the order a reader meets it: it fills,
     * it ranks, its delay, the page's own cost while it streams, one server opened.
     */
    private static void followsTheFleet(FleetPage page, HeadlessChromium browser, Followed followed,
                                        int sortedBy) throws Exception {
        String name = followed.system();
        long filling = System.nanoTime();
        Await.until(name + ": " + NEARLY_ALL + " of its servers in the page", FILL_DEADLINE,
                () -> page.serversNumbered(followed.first(), SERVERS) >= NEARLY_ALL);
        long filledMs = (System.nanoTime() - filling) / 1_000_000;
        Await.until(name + ": a heat map cell per server held", FleetPage.DEADLINE,
                () -> page.heatMapCells() == page.serversHeld());
        int ours = page.serversNumbered(followed.first(), SERVERS);
        assertTrue(page.reportingCount() >= ours, name + ": counted " + page.reportingCount()
                + ", held " + ours + " of ours");

        page.sortTopTableBy(sortedBy);
        Await.until(name + ": twenty rows, highest first", FleetPage.DEADLINE, () -> {
            List<Double> figures = page.topFigures(sortedBy);
            return figures.size() == 20 && isDescending(figures);
        });
        // The top 20 of 10,000 is the top 0.2 %: its lowest row is above the fleet's p95.
        List<Double> top = page.topFigures(sortedBy);
        double p95 = percentile(page.latestOfEveryServer(sortedBy), 95);
        assertTrue(isDescending(top) && top.get(top.size() - 1) >= p95,
                name + ": top " + top + " against the fleet's p95 " + p95);
        page.screenshot("fleet-scale-" + name + "-fleet");

        long ackedBefore = followed.senders().stats().ackedTotal();
        long measuring = System.nanoTime();
        MainThreadUse use = browser.mainThreadUse(MEASURED_WINDOW);
        double seconds = (System.nanoTime() - measuring) / 1e9;
        double sentPerSecond = (followed.senders().stats().ackedTotal() - ackedBefore) / seconds;
        int p50 = page.delayMillis("p50");
        int p95Delay = page.delayMillis("p95");
        System.out.printf("%s: %,d of %,d servers in %,d ms (page counts %,d, %,d cells); %s; delay p50 %d ms,"
                        + " p95 %d ms; %s messages/s, %s updates/s; senders acked %,.0f metrics/s of %,.0f%n",
                name, ours, SERVERS, filledMs, page.reportingCount(), page.heatMapCells(), use, p50, p95Delay,
                page.live("messagesPerSecond"), page.live("updatesPerSecond"), sentPerSecond,
                followed.metricsPerSecond());
        if (use.onCpuFraction() >= MAX_BUSY_FRACTION) {
            fail(name + ": " + use + "; where the time went, most first: " + mostCostly(browser));
        }
        assertTrue(p50 >= 0 && p50 < MAX_DELAY_MS && p95Delay >= 0 && p95Delay < MAX_DELAY_MS,
                name + ": delay p50 " + p50 + " ms, p95 " + p95Delay + " ms");

        String opened = "server-" + (followed.first() + 41);
        page.clickCell(opened);
        page.awaitServerView(opened);
        assertEquals(followed.hash() + "&server=" + opened, page.hash());
        Await.until(name + ": the server view shows " + opened + "'s CPU", FleetPage.DEADLINE,
                () -> page.serverFigure(CPU).equals(asShown(page.latestCpu(opened))));
        page.screenshot("fleet-scale-" + name + "-server");
        page.backToFleet();
    }

    /** The page's costliest functions over a second window, profiled: what to make cheaper. */
    private static String mostCostly(HeadlessChromium browser) throws InterruptedException {
        return browser.selfTimeByFunction(MEASURED_WINDOW).entrySet().stream().limit(PROFILE_LINES)
                .map(e -> e.getKey() + " " + e.getValue().toMillis() + " ms").toList().toString();
    }

    /** A percentage as the page writes it: toFixed(1) rounds the exact value half up. */
    private static String asShown(double percent) {
        return new BigDecimal(percent).setScale(1, RoundingMode.HALF_UP) + " %";
    }

    private static boolean isDescending(List<Double> figures) {
        for (int i = 1; i < figures.size(); i++) {
            if (figures.get(i) > figures.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Nearest rank, as the page's own percentiles.js computes it. */
    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.clamp(rank, 1, sorted.length) - 1];
    }
}
