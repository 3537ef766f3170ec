package analytics.system2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.testing.JdkWebSocketClient;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference answer to lesson 09's exercise 3: a tick dashboard with a 1 s interval
 * receives at most two ticks for 50 metrics of one server sent at once (one, unless a tick
 * falls inside the burst), each holding one aggregate, the last one the newest metric's;
 * with nothing new, no further tick.
 */
class TickConflationWireTest {

    private static final int METRICS = 50;

    private System2 system;
    private final List<JdkWebSocketClient> clients = new ArrayList<>();
    private final long now = System.currentTimeMillis();

    @BeforeEach
    void start() throws Exception {
        Log.setThreshold(Log.Level.WARN);
        system = System2.start(Config.from(Map.of("SYSTEM2_WS_PORT", "0")));
    }

    @AfterEach
    void stop() {
        clients.forEach(JdkWebSocketClient::close);
        system.close();
    }

    private JdkWebSocketClient connect() {
        JdkWebSocketClient client = JdkWebSocketClient.connect("ws://127.0.0.1:" + system.port());
        clients.add(client);
        assertEquals("connection.ack", client.next().getString("type", ""));
        return client;
    }

    @Test
    void fiftyMetricsOfOneServerBecomeAtMostTwoTicksOfOneAggregate() throws InterruptedException {
        JdkWebSocketClient ticker = connect();
        ticker.send("{\"type\":\"register\",\"role\":\"dashboard\",\"serverId\":null,\"mode\":\"tick\","
                + "\"intervalMs\":1000}");
        assertEquals("register.ack", ticker.next().getString("type", ""));
        JdkWebSocketClient producer = connect();
        for (int i = 1; i <= METRICS; i++) {
            producer.send("{\"type\":\"metric\",\"serverId\":\"t1\",\"timestamp\":" + (now + i)
                    + ",\"metrics\":{\"cpu\":" + i + ",\"memory\":50,\"disk\":70}}");
        }
        for (int i = 0; i < METRICS; i++) {
            producer.next("metric.ack");
        }

        int ticks = 0;
        long newest = 0;
        while (newest != now + METRICS) {
            JsonObject tick = ticker.next();
            assertEquals("tick", tick.getString("type", ""), "no metric.update for a tick dashboard");
            ticks++;
            JsonArray payload = tick.get("payload").asArray();
            assertEquals(1, payload.size(), "one aggregate per server per tick: " + tick);
            newest = payload.get(0).asObject().get("timestamp").asLong();
        }
        assertTrue(ticks <= 2, ticks + " ticks for a burst of " + METRICS);
        assertNull(ticker.poll(1_500), "nothing new, no tick");
    }
}
