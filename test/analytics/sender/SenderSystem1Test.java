package analytics.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.system1.worker.MetricAggregates;
import analytics.system1.System1;
import analytics.testing.Await;
import analytics.testing.RedisExtension;
import analytics.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/** The senders over HTTP/1.1 into a real System 1: POST, stream, worker, Redis. */
@ExtendWith(RedisExtension.class)
class SenderSystem1Test {

    private static void sendsEveryServerIntoRedis(RedisServer redis, String mode) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        String unique = "sender-" + mode + "-" + System.nanoTime();
        Config config = redis.system1Config(unique, "SYSTEM1_WORKER_COUNT", "2",
                "FAKE_SERVER_INTERVAL_MS", "100", "FAKE_JITTER_MS", "20");
        long start = System.currentTimeMillis();
        try (System1 system = System1.start(config);
             Sender sender = Sender.start(SenderOptions.parse(new String[] {"--mode", mode, "--count", "50",
                     "--target", "http://127.0.0.1:" + system.httpPort() + "/metrics"}, config.fakeServers()));
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
            // The worker may write Redis before the client has read its 202. Failures are not
            // asserted: while a cold or busy JVM is slow to answer, sends beyond the in-flight
            // bound fail by design (counted, not queued).
            Await.until("50 acks", Duration.ofSeconds(3), () -> sender.stats().ackedTotal() >= 50);
            assertEquals(1, sender.stats().connectionsUp());
        }
    }

    @Test
    void http1SendsEveryServerIntoRedis(RedisServer redis) throws Exception {
        sendsEveryServerIntoRedis(redis, "http");
    }
}
