package analytics.system1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole of System 1 in one JVM: POST -> stream -> worker -> pub/sub -> dashboard. */
@ExtendWith(RedisExtension.class)
class System1EndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String metric(String serverId, long timestamp, double cpu) {
        return "{\"serverId\":\"" + serverId + "\",\"timestamp\":" + timestamp
                + ",\"metrics\":{\"cpu\":" + cpu + ",\"memory\":50,\"disk\":70,\"network\":{\"in\":1,\"out\":2}}}";
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A dashboard following one server, its subscription acknowledged. */
    private static JdkWebSocketClient subscribedDashboard(System1 system, String serverId) throws Exception {
        JdkWebSocketClient dashboard = JdkWebSocketClient.connect("ws://127.0.0.1:" + system.wsPort());
        dashboard.send("{\"type\":\"subscribe\",\"serverId\":\"" + serverId + "\"}");
        assertEquals("subscription.ack", dashboard.next().getString("type", ""));
        return dashboard;
    }

    @Test
    void aPostedMetricReachesASubscribedDashboardWithItsEntryId(RedisProcess redis) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        String unique = "e2e-" + System.nanoTime();
        Config config = redis.system1Config(unique, "SYSTEM1_WORKER_COUNT", "2");
        String serverId = unique + "-server";
        try (System1 system = System1.start(config);
             JdkWebSocketClient dashboard = subscribedDashboard(system, serverId)) {

            long now = System.currentTimeMillis();
            HttpResponse<String> accepted = post(system.httpPort(), "/metrics", metric(serverId, now, 42.5));
            assertEquals(202, accepted.statusCode(), accepted.body());
            String entryId = Json.parse(accepted.body()).asObject().getString("id", "");

            JsonObject processed = dashboard.next("metric.processed");
            assertEquals(entryId, processed.getString("entryId", ""));
            assertEquals(Json.parse(metric(serverId, now, 42.5)), processed.get("payload"));

            // A batch of 20 comes out as 20 distinct entries, each exactly once.
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 20; i++) {
                batch.append(i == 0 ? "" : ",").append(metric(serverId, now + i + 1, i));
            }
            HttpResponse<String> batchAccepted = post(system.httpPort(), "/metrics/batch", batch + "]");
            assertEquals(202, batchAccepted.statusCode(), batchAccepted.body());
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                assertTrue(ids.add(dashboard.next("metric.processed").getString("entryId", "")));
            }
            try (var jedis = redis.jedis()) {
                assertEquals(21, jedis.xlen(unique + ":stream"));
                assertEquals(String.valueOf(now + 20), jedis.hget("metrics:latest:" + serverId, "timestamp"));
            }
        }
    }

    /** The same path over HTTP/2: java.net.http upgrades (h2c), the handler cannot tell. */
    @Test
    void aMetricPostedOverHttp2ReachesTheDashboardAndIsCountedAsH2cUpgrade(RedisProcess redis) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        String unique = "e2e-h2-" + System.nanoTime();
        Config config = redis.system1Config(unique, "SYSTEM1_WORKER_COUNT", "1");
        HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String serverId = unique + "-server";
        try (System1 system = System1.start(config);
             JdkWebSocketClient dashboard = subscribedDashboard(system, serverId)) {

            long now = System.currentTimeMillis();
            HttpResponse<String> accepted = http2.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + system.http2Port() + "/metrics"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(metric(serverId, now, 12.5))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, accepted.version());
            assertEquals(202, accepted.statusCode(), accepted.body());
            String entryId = Json.parse(accepted.body()).asObject().getString("id", "");

            JsonObject processed = dashboard.next("metric.processed");
            assertEquals(entryId, processed.getString("entryId", ""));
            assertEquals(Json.parse(metric(serverId, now, 12.5)), processed.get("payload"));

            String stats = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + system.httpPort() + "/stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonObject byProtocol = Json.parse(stats).asObject().get("requestsByProtocol").asObject();
            assertEquals(1, byProtocol.getLong("h2c-upgrade", -1));
        }
    }
}
