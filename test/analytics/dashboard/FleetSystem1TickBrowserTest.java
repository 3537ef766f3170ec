package analytics.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.System1;
import analytics.testing.Await;
import analytics.testing.HeadlessChromium;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fleet view on System 1 in tick mode: the page subscribes with
 * {"serverId":null,"mode":"tick","intervalMs":250} and System 1's broadcaster answers with
 * conflated {"type":"tick","payload":[metric...]} messages instead of one metric.processed
 * per metric. Needs System 1's tick mode in the broadcaster (the contract's subscribe row);
 * a broadcaster without it ignores the two fields and this test fails on its first check.
 */
@ExtendWith(RedisExtension.class)
class FleetSystem1TickBrowserTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theFleetViewIsFollowedInTickModeOnSystem1(RedisProcess redis) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        String unique = "tick-" + System.nanoTime(); // the Redis is shared with other tests
        try (System1 system1 = System1.start(redis.system1Config(unique));
             Dashboard dashboard = Dashboard.start(Config.from(Map.of("DASHBOARD_PORT", "0",
                     "SYSTEM1_HTTP_PORT", String.valueOf(system1.httpPort()),
                     "SYSTEM1_WS_PORT", String.valueOf(system1.wsPort()))), DashboardBrowserTest.ROOT);
             HeadlessChromium browser = HeadlessChromium.launch()) {
            FleetPage page = new FleetPage(browser);
            page.open("http://127.0.0.1:" + dashboard.port() + "/#system=1");
            URI batch = URI.create("http://127.0.0.1:" + system1.httpPort() + "/metrics/batch");
            // Three rounds of 50 servers: 150 metrics, a handful of ticks.
            for (int round = 0; round < 3; round++) {
                StringBuilder body = new StringBuilder("[");
                long now = System.currentTimeMillis();
                for (int i = 1; i <= 50; i++) {
                    body.append(i > 1 ? "," : "")
                            .append(DashboardBrowserTest.metric(unique + "-" + i, i, now + round));
                }
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(batch)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, answer.statusCode(), answer.body());
            }
            Await.until("the page's servers, found through ticks", FleetPage.DEADLINE,
                    () -> page.search(unique + "-5").contains(unique + "-50"));
            assertTrue(page.received("tick") > 0, "System 1 pushed no tick: received " + page.received("tick"));
            assertEquals(0, page.received("metric.processed"), "in tick mode no message per metric");
            assertTrue(page.received("tick") < 150, "ticks conflate: fewer messages than metrics");
            assertEquals(List.of(unique + "-5", unique + "-50"), page.search(unique + "-5"));
            page.assertNoErrors();
        }
    }
}
