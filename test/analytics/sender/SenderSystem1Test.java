package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.worker.MetricAggregates;
import analytics.system1.System1;
import analytics.testing.Await;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/** The senders over HTTP/1.1 and HTTP/2 into a real System 1: POST, stream, worker, Redis. */
@ExtendWith(RedisExtension.class)
class SenderSystem1Test {

    /** Sends 50 servers through a real System 1; returns its /stats after. */
    private static JsonObject sendsEveryServerIntoRedis(RedisProcess redis, String mode) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        String unique = "sender-" + mode + "-" + System.nanoTime();
        Config config = redis.system1Config(unique, "SYSTEM1_WORKER_COUNT", "2",
                "FAKE_SERVER_INTERVAL_MS", "100", "FAKE_JITTER_MS", "20");
        long start = System.currentTimeMillis();
        try (System1 system = System1.start(config);
             Senders sender = Senders.start(SenderOptions.parse(new String[] {"--mode", mode, "--count", "50",
                     "--target", "http://127.0.0.1:" + (mode.equals("h2") ? system.http2Port() : system.httpPort())
                             + "/metrics"}, config.fakeServers()));
             Jedis jedis = redis.jedis()) {
            Await.until("every server's latest sample in Redis", Duration.ofSeconds(8), () -> {
                for (String id : SenderSystem2Test.expectedServerIds()) {
                    String timestamp = jedis.hget(MetricAggregates.latestKey(id), "timestamp");
                    if (timestamp == null || Long.parseLong(timestamp) < start) {
                        return false;
                    }
                }
                return true;
            });
            assertTrue(jedis.smembers(MetricAggregates.SERVERS_KEY).containsAll(SenderSystem2Test.expectedServerIds()));
            // The worker may write Redis before the client has read its 202. While a cold JVM
            // is slow to answer, metrics wait in the buffer: none is retried, dropped or refused.
            Await.until("50 acks", Duration.ofSeconds(3), () -> sender.stats().ackedTotal() >= 50);
            assertEquals(0, sender.stats().droppedTotal());
            assertEquals(0, sender.stats().rejectedTotal());
            assertEquals(1, sender.stats().connectionsUp());
            if (mode.equals("h2")) {
                assertEquals(1, system.http2Connections(), "every stream on one HTTP/2 connection");
            }
            HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String stats = http1.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + system.httpPort() + "/stats")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return Json.parse(stats).asObject();
        }
    }

    /**
     * A cold JVM answers slowly at first, so metrics wait in the buffer and some go together
     * as one /metrics/batch: fewer requests than metrics, every metric accepted.
     */
    @Test
    void http1SendsEveryServerIntoRedis(RedisProcess redis) throws Exception {
        JsonObject stats = sendsEveryServerIntoRedis(redis, "http");
        JsonObject byProtocol = stats.get("requestsByProtocol").asObject();
        assertTrue(stats.get("metrics").asObject().getLong("acceptedTotal", -1) >= 50, stats.toString());
        assertTrue(byProtocol.getLong("http/1.1", -1) >= 2, byProtocol.toString()); // metrics + this GET
        assertEquals(0, byProtocol.getLong("h2c-upgrade", -1));
    }

    /**
     * h2 mode: java.net.http upgrades one connection (h2c) and every metric after is a stream
     * of it. An answer over HTTP/1.1 would count as a failure, so the acks prove the version;
     * System 1's own count says the same from the other side: no request came over HTTP/1.1
     * but the /stats GET that asks.
     */
    @Test
    void h2SendsEveryServerIntoRedisOverOneHttp2Connection(RedisProcess redis) throws Exception {
        JsonObject stats = sendsEveryServerIntoRedis(redis, "h2");
        JsonObject byProtocol = stats.get("requestsByProtocol").asObject();
        assertTrue(stats.get("metrics").asObject().getLong("acceptedTotal", -1) >= 50, stats.toString());
        assertEquals(1, byProtocol.getLong("http/1.1", -1), byProtocol.toString());
        assertTrue(byProtocol.getLong("h2c-upgrade", -1) >= 1, byProtocol.toString());
    }
}
