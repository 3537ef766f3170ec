package analytics.system1.broadcast;

import static analytics.system1.broadcast.BroadcasterFixture.awaitSubscriber;
import static analytics.system1.broadcast.BroadcasterFixture.processed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Await;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broadcaster's tick mode over real sockets: metrics PUBLISHed to a real redis-server
 * come out conflated, one tick per interval, at real WebSocket clients; dashboards that ask
 * for the same interval and filter share one group (seen in /stats).
 */
@ExtendWith(RedisExtension.class)
class BroadcasterTickWireTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final String FLEET_TICKS = "{\"type\":\"subscribe\",\"serverId\":null,\"mode\":\"tick\","
            + "\"intervalMs\":%d}";

    @AutoClose
    private final BroadcasterFixture fixture = new BroadcasterFixture();
    private RedisProcess redis;
    private System1Broadcaster broadcaster;

    @BeforeEach
    void start(RedisProcess shared) throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        redis = shared;
        broadcaster = fixture.start(shared.host(), shared.port());
        awaitSubscriber(redis::jedis, fixture.channel());
    }

    private JdkWebSocketClient dashboard() {
        return fixture.dashboard(broadcaster);
    }

    private JdkWebSocketClient subscribed(String subscription) {
        return fixture.subscribed(broadcaster, subscription);
    }

    private void publish(String... messages) {
        BroadcasterFixture.publish(redis::jedis, fixture.channel(), messages);
    }

    private JsonArray nextTick(JdkWebSocketClient client) {
        JsonObject tick = client.next();
        assertEquals("tick", tick.getString("type", ""), "no metric.processed in tick mode: " + tick);
        return tick.get("payload").asArray();
    }

    /** The newest timestamp of each server in a tick, failing if a server appears twice. */
    private static Map<String, Long> latestPerServer(JsonArray payload) {
        Map<String, Long> latest = new HashMap<>();
        for (JsonValue element : payload) {
            JsonObject metric = element.asObject();
            Long earlier = latest.put(metric.getString("serverId", ""),
                    metric.get("timestamp").asLong());
            assertNull(earlier, "conflated: one element per server, got " + payload);
        }
        return latest;
    }

    private int tickGroups() throws Exception {
        JsonObject stats = Json.parse(BroadcasterFixture.get(broadcaster, "/stats").body()).asObject();
        return stats.get("connections").asObject().get("tickGroups").asInt();
    }

    @Test
    void theAckNamesTheTickMode() {
        JdkWebSocketClient client = dashboard();
        client.send(FLEET_TICKS.formatted(250));
        assertEquals(Json.parse("{\"type\":\"subscription.ack\",\"serverId\":null,"
                + "\"mode\":\"tick\",\"intervalMs\":250}"), client.next());
    }

    @Test
    void aTickHoldsOnlyTheNewestMetricOfEachServerThatChanged() {
        JdkWebSocketClient client = subscribed(FLEET_TICKS.formatted(500));
        publish(processed("1-0", "server-1", 1000));
        assertEquals(Map.of("server-1", 1000L), latestPerServer(nextTick(client)));

        // Just after a tick: the burst lands well inside the next interval.
        publish(processed("2-0", "server-1", 2000), processed("3-0", "server-2", 2500),
                processed("4-0", "server-1", 3000), processed("5-0", "server-1", 4000));
        JsonArray payload = nextTick(client);
        assertEquals(Map.of("server-1", 4000L, "server-2", 2500L), latestPerServer(payload));
        // Each element is the metric as a snapshot has it, not the published envelope.
        for (JsonValue element : payload) {
            assertEquals(List.of("serverId", "timestamp", "metrics"), element.asObject().names());
        }
    }

    @Test
    void nothingChangedMeansNoTick() throws Exception {
        JdkWebSocketClient client = subscribed(FLEET_TICKS.formatted(50));
        publish(processed("1-0", "server-1", 1000));
        nextTick(client);
        assertNull(client.poll(400), "eight intervals without a metric: no message at all");
    }

    @Test
    void subscribingWithoutAModeGoesBackToOneMessagePerMetric() throws Exception {
        JdkWebSocketClient client = subscribed(FLEET_TICKS.formatted(50));
        assertEquals(1, tickGroups());
        client.send("{\"type\":\"subscribe\",\"serverId\":null}");
        assertEquals(Json.parse("{\"type\":\"subscription.ack\",\"serverId\":null}"), client.next());
        assertEquals(0, tickGroups(), "its group went with it");
        publish(processed("1-0", "server-1", 1000), processed("2-0", "server-1", 2000));
        assertEquals(processed("1-0", "server-1", 1000), client.nextText());
        assertEquals(processed("2-0", "server-1", 2000), client.nextText());
        assertNull(client.poll(200), "and no tick after them");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"mode\":\"tick\",\"intervalMs\":49",
            "\"mode\":\"tick\",\"intervalMs\":60001",
            "\"mode\":\"tick\",\"intervalMs\":250.5",
            "\"mode\":\"tick\",\"intervalMs\":\"250\"",
            "\"mode\":\"tick\""})
    void aBadIntervalIsRefusedAndTheConnectionStaysOpen(String fields) {
        assertRefused(fields, "intervalMs must be a whole number from 50 to 60000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"mode\":\"stream\",\"intervalMs\":250", "\"mode\":42"})
    void aModeOtherThanTickIsRefused(String fields) {
        assertRefused(fields, "mode must be \"tick\" or absent");
    }

    private void assertRefused(String fields, String reason) {
        JdkWebSocketClient client = dashboard();
        client.send("{\"type\":\"subscribe\",\"serverId\":null," + fields + "}");
        assertEquals(Json.object().add("type", "error").add("message", "Invalid subscribe payload")
                .add("reason", reason), client.next());
        client.send(FLEET_TICKS.formatted(100));
        assertEquals("tick", client.next().getString("mode", ""), "still open, still listening");
    }

    @Test
    void dashboardsAskingAlikeShareOneGroupAndOneTick() throws Exception {
        JdkWebSocketClient first = subscribed(FLEET_TICKS.formatted(200));
        JdkWebSocketClient second = subscribed(FLEET_TICKS.formatted(200));
        assertEquals(1, tickGroups());
        JdkWebSocketClient slower = subscribed(FLEET_TICKS.formatted(300));
        JdkWebSocketClient filtered = subscribed(
                "{\"type\":\"subscribe\",\"serverId\":\"server-2\",\"mode\":\"tick\",\"intervalMs\":200}");
        assertEquals(3, tickGroups(), "another interval, another filter: two more groups");

        publish(processed("1-0", "server-1", 1000), processed("2-0", "server-2", 2000));
        String tick = first.nextText();
        assertEquals(tick, second.nextText(), "the same bytes to both members");
        assertTrue(tick.contains("\"server-1\""), tick);
        assertEquals("tick", slower.next().getString("type", ""));
        assertEquals(Map.of("server-2", 2000L), latestPerServer(nextTick(filtered)));
    }

    @Test
    void aGroupEndsWithItsLastMember() throws Exception {
        JdkWebSocketClient first = subscribed(FLEET_TICKS.formatted(100));
        JdkWebSocketClient second = subscribed(FLEET_TICKS.formatted(100));
        first.close();
        publish(processed("1-0", "server-1", 1000));
        assertEquals(Map.of("server-1", 1000L), latestPerServer(nextTick(second)), "the group ticks on");
        assertEquals(1, tickGroups());
        second.close();
        Await.until("the group stopped with its last member", DEADLINE, () -> {
            try {
                return tickGroups() == 0;
            } catch (Exception notYet) {
                return false;
            }
        });
    }
}
