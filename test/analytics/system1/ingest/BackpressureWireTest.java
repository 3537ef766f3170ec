package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.worker.System1Workers;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The lag-based 503 on a real redis-server: with SYSTEM1_MAX_LAG 5 and no worker, five
 * metrics are accepted, then ingest refuses with 503 + Retry-After before writing; once a
 * worker pool drains the group, metrics are accepted again. /stats and Prometheus show it.
 */
@ExtendWith(RedisExtension.class)
class BackpressureWireTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String JSON = "application/json";
    private static final int MAX_LAG = 5;

    private final String id = Long.toString(System.nanoTime());
    private final String streamKey = "test:backpressure:" + id;
    @AutoClose
    private final Closer closer = new Closer();
    private RedisProcess redis;
    private System1Ingest ingest;

    @BeforeEach
    void start(RedisProcess shared) throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        redis = shared;
        ingest = System1Ingest.start(config());
        closer.add(ingest);
    }

    /** Ingest and workers on the shared Redis, with a stream, a channel and a lag limit of their own. */
    private Config config() {
        return redis.config("SYSTEM1_HTTP_PORT", "0", "SYSTEM1_HTTP2_PORT", "0",
                "SYSTEM1_REDIS_STREAM_KEY", streamKey,
                "SYSTEM1_REDIS_CHANNEL", "test:backpressure-channel:" + id,
                "SYSTEM1_MAX_LAG", Integer.toString(MAX_LAG),
                "SYSTEM1_STREAM_MAXLEN", "1000",
                "SYSTEM1_WORKER_COUNT", "2");
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return HTTP.send(builder.timeout(Duration.ofSeconds(10)).build(), // bounded: never a hang
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.port() + path));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(request(path).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonObject streamStats() throws Exception {
        return Json.parse(send(request("/stats").GET()).body()).asObject().get("stream").asObject();
    }

    private long statsGroupLag() {
        try {
            return streamStats().getLong("groupLag", -2);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long streamLength() {
        try (Jedis jedis = redis.jedis()) {
            return jedis.xlen(streamKey);
        }
    }

    @Test
    void overTheLagLimitIngestAnswers503BeforeWritingAndRecoversOnceWorkersCatchUp() throws Exception {
        for (int i = 1; i <= MAX_LAG; i++) {
            assertEquals(202, post("/metrics", IngestWireTest.metric("lag-" + id)).statusCode(),
                    "metric " + i);
        }
        // No worker ever ran, so there is no group: the lag is the stream length.
        Await.until("/stats shows the lag of " + MAX_LAG, Duration.ofSeconds(5),
                () -> statsGroupLag() == MAX_LAG);
        JsonObject stats = streamStats();
        assertEquals(MAX_LAG, stats.getLong("streamLength", -1));
        assertEquals(0, stats.getLong("pending", -1));
        assertEquals(false, stats.getBoolean("groupExists", true));
        assertEquals(MAX_LAG, stats.getLong("maxLag", -1));

        String refused = "{\"error\":\"Service Unavailable\","
                + "\"reason\":\"consumer group lag 5 has reached SYSTEM1_MAX_LAG 5\"}";
        String batch = "[" + IngestWireTest.metric("a") + "," + IngestWireTest.metric("b") + "]";
        for (String path : List.of("/metrics", "/metrics", "/metrics/batch", "/metrics")) {
            HttpResponse<String> response = post(path,
                    path.endsWith("batch") ? batch : IngestWireTest.metric("lag-" + id));
            assertEquals(503, response.statusCode(), response.body());
            assertEquals(Json.parse(refused), Json.parse(response.body()));
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        }
        assertEquals(MAX_LAG, streamLength(), "nothing written while refusing");
        // The lag is about the workers, not about Redis: healthz stays 200.
        assertEquals(200, send(request("/healthz").GET()).statusCode());
        String prometheus = send(request("/metrics/prometheus").GET()).body();
        assertTrue(prometheus.contains("system1_group_lag 5"), prometheus);
        assertTrue(prometheus.contains("system1_stream_length 5"), prometheus);

        System1Workers pool = System1Workers.start(config());
        closer.add(pool);
        Await.until("the workers drain the group", Duration.ofSeconds(10), () -> statsGroupLag() == 0);
        HttpResponse<String> accepted = post("/metrics", IngestWireTest.metric("lag-" + id));
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(MAX_LAG + 1, streamLength());
        assertEquals(true, streamStats().getBoolean("groupExists", false));
    }
}
