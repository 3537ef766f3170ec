package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.model.Metric;
import analytics.system1.System1;
import analytics.testing.Await;
import analytics.testing.CapturedLog;
import analytics.testing.FreePorts;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The HTTP senders through outages of a real System 1: not listening yet, answering 503
 * while its Redis is down, refusing a bad metric. What arrived is counted in the real
 * Redis stream, not taken from the sender's word.
 */
@ExtendWith(RedisExtension.class)
class SenderOutageSystem1Test {

    @AutoClose
    private final CapturedLog log = CapturedLog.at(Log.Level.INFO);
    private final SenderStats stats = new SenderStats();

    /** {@code count} metrics of 10 servers, metric i stamped {@code base + i}: all distinct. */
    static List<Metric> metrics(int count, long base) {
        MetricGenerator generator = new MetricGenerator(7, 0, 1);
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            metrics.add(generator.generate(generator.profile(1 + i % 10), i / 10, base + i));
        }
        return metrics;
    }

    private static HttpTransport http(int port, int bufferSize, SenderStats stats) {
        return new HttpTransport(URI.create("http://127.0.0.1:" + port + "/metrics"),
                HttpClient.Version.HTTP_1_1, bufferSize, stats);
    }

    private static Set<String> inStream(Jedis jedis, String stream) {
        List<StreamEntry> entries = jedis.xrange(stream, (StreamEntryID) null, (StreamEntryID) null);
        return entries.stream().map(e -> e.getFields().get("serverId") + "@" + e.getFields().get("timestamp"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> keys(List<Metric> metrics) {
        return metrics.stream().map(m -> m.serverId() + "@" + m.timestamp())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<JsonObject> senderLines(String message) {
        return log.lines("sender", message);
    }

    @Test
    void everyMetricMadeBeforeSystem1ListensArrivesOnceItDoes(RedisProcess redis) throws Exception {
        int port = FreePorts.any();
        String stream = "outage-" + System.nanoTime();
        Config config = redis.system1Config(stream, "SYSTEM1_HTTP_PORT", String.valueOf(port),
                "SYSTEM1_WORKER_COUNT", "1");
        List<Metric> metrics = metrics(500, System.currentTimeMillis());
        try (HttpTransport transport = http(port, 10_000, stats)) {
            metrics.forEach(transport::send);
            Await.until("a few refused attempts", Duration.ofSeconds(5), () -> stats.retriedTotal() >= 2);
            assertEquals(0, transport.connectionsUp());
            try (System1 system = System1.start(config); Jedis jedis = redis.jedis()) {
                assertEquals(port, system.httpPort());
                Await.until("500 acks", Duration.ofSeconds(10), () -> stats.ackedTotal() == 500);
                assertEquals(keys(metrics), inStream(jedis, stream + ":stream"), "each metric, once");
                // Logged once the backlog is answered: the last ack may come a moment before it.
                Await.until("the recovery line", Duration.ofSeconds(5),
                        () -> !senderLines("target recovered; buffered metrics re-sent").isEmpty());
            }
            assertEquals(0, stats.droppedTotal());
            assertEquals(0, stats.rejectedTotal());
            assertEquals(0, transport.buffered());
        }
        List<JsonObject> down = senderLines("target unreachable; buffering");
        assertEquals(1, down.size(), "one line for the outage, not one per attempt: " + down);
        assertTrue(down.getFirst().getString("reason", "").contains("connection refused"), down.toString());
        List<JsonObject> recovered = senderLines("target recovered; buffered metrics re-sent");
        assertEquals(1, recovered.size(), log.lines().toString());
        assertEquals(500, recovered.getFirst().getInt("resent", -1));
        assertEquals(0, recovered.getFirst().getInt("dropped", -1));
    }

    @Test
    void aBufferSmallerThanTheOutageDropsExactlyTheOldest(RedisProcess redis) throws Exception {
        int port = FreePorts.any();
        String stream = "overflow-" + System.nanoTime();
        Config config = redis.system1Config(stream, "SYSTEM1_HTTP_PORT", String.valueOf(port),
                "SYSTEM1_WORKER_COUNT", "1");
        List<Metric> metrics = metrics(250, System.currentTimeMillis());
        try (HttpTransport transport = http(port, 100, stats)) {
            metrics.forEach(transport::send);
            // A probe may hold some metrics while it fails; once back, the buffer is full again.
            Await.until("the newest 100 buffered, 150 dropped", Duration.ofSeconds(5),
                    () -> transport.buffered() == 100 && stats.droppedTotal() == 150);
            try (System1 system = System1.start(config); Jedis jedis = redis.jedis()) {
                assertEquals(port, system.httpPort());
                Await.until("100 acks", Duration.ofSeconds(10), () -> stats.ackedTotal() == 100);
                assertEquals(keys(metrics.subList(150, 250)), inStream(jedis, stream + ":stream"));
                Await.until("the recovery line", Duration.ofSeconds(5),
                        () -> !senderLines("target recovered; buffered metrics re-sent").isEmpty());
            }
            assertEquals(150, stats.droppedTotal());
        }
        assertEquals(1, senderLines("buffer full: dropping the oldest metrics").size(), log.lines().toString());
        assertEquals(150, senderLines("target recovered; buffered metrics re-sent").getFirst().getInt("dropped", -1));
    }

    /**
     * System 1 up, its Redis refusing every write (maxmemory 1 byte, nothing to evict): each
     * POST is answered 503 with Retry-After: 1. The metrics wait, one probe a second asks
     * again, and all of them go once Redis takes writes again.
     *
     * Why not stop Redis, as a real outage would: that is the fault campaign's redis-kill
     * (lesson 20); here the point is the sender's handling of 503 + Retry-After, and a Redis
     * that refuses writes gives exactly that, with nothing to restart.
     */
    @Test
    void metricsAnswered503WhileRedisRefusesWritesAreDeliveredAfterItTakesThemAgain() throws Exception {
        String stream = "unavailable-" + System.nanoTime();
        List<Metric> metrics = metrics(300, System.currentTimeMillis());
        // A Redis of its own: a shared one (or REDIS_URL's) is not this test's to reconfigure.
        try (RedisProcess redis = RedisProcess.startPrivate();
             System1 system = System1.start(redis.system1Config(stream, "SYSTEM1_WORKER_COUNT", "1"));
             HttpTransport transport = http(system.httpPort(), 10_000, stats);
             Jedis jedis = redis.jedis()) {
            jedis.configSet("maxmemory", "1");
            try {
                metrics.forEach(transport::send);
                Await.until("503s retried", Duration.ofSeconds(8), () -> stats.retriedTotal() > 0);
                Await.until("the outage logged", Duration.ofSeconds(2),
                        () -> !senderLines("target unavailable; buffering until it takes metrics again").isEmpty());
                assertEquals(0, stats.ackedTotal());
            } finally {
                jedis.configSet("maxmemory", "0");
            }
            Await.until("300 acks", Duration.ofSeconds(10), () -> stats.ackedTotal() == 300);
            assertEquals(keys(metrics), inStream(jedis, stream + ":stream"));
            assertEquals(0, stats.droppedTotal());
            assertEquals(0, stats.rejectedTotal());
        }
        JsonObject unavailable =
                senderLines("target unavailable; buffering until it takes metrics again").getFirst();
        assertTrue(unavailable.getString("reason", "").startsWith("503 "), unavailable.toString());
    }

    /**
     * A metric System 1 refuses (400: its timestamp is an hour ahead) is rejected for good,
     * with System 1's reason logged; the good ones beside it are all delivered.
     */
    @Test
    void aMetricAnswered400IsRejectedNotRetried(RedisProcess redis) throws Exception {
        String stream = "rejected-" + System.nanoTime();
        Config config = redis.system1Config(stream, "SYSTEM1_WORKER_COUNT", "1");
        long now = System.currentTimeMillis();
        List<Metric> good = metrics(20, now);
        Metric future = new Metric("server-future", now + Duration.ofHours(1).toMillis(), 1, 2, 3, null, Map.of());
        try (System1 system = System1.start(config);
             HttpTransport transport = http(system.httpPort(), 10_000, stats);
             Jedis jedis = redis.jedis()) {
            good.subList(0, 10).forEach(transport::send);
            transport.send(future);
            good.subList(10, 20).forEach(transport::send);
            Await.until("20 acks and 1 rejection", Duration.ofSeconds(8),
                    () -> stats.ackedTotal() == 20 && stats.rejectedTotal() == 1);
            assertEquals(keys(good), inStream(jedis, stream + ":stream"));
            assertEquals(0, stats.retriedTotal());
            assertEquals(0, transport.buffered());
        }
        List<JsonObject> rejected = senderLines("target rejected metrics; not retrying them");
        assertEquals(1, rejected.size(), rejected.toString());
        assertEquals("HTTP 400", rejected.getFirst().getString("kind", ""));
        assertTrue(rejected.getFirst().getString("reason", "").contains("timestamp"), rejected.toString());
    }
}
