package analytics.system1.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.model.Metric;
import analytics.system1.redis.StreamFields;
import analytics.testing.Await;
import analytics.testing.Closer;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

/**
 * The worker pool on a real redis-server: the group shares the stream, every entry is
 * processed, acknowledged and published once, a dead consumer's entries are reclaimed,
 * and the workers ride out a Redis restart.
 */
@ExtendWith(RedisExtension.class)
class System1WorkersTest {

    private final String id = Long.toString(System.nanoTime());
    private final String streamKey = "test:pool:" + id;
    private final String channel = "test:pool-channel:" + id;
    @AutoClose
    private final Closer closer = new Closer();

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    private System1Workers start(RedisProcess redis, int workers, long claimIdleMillis) {
        Config config = redis.config(
                "SYSTEM1_REDIS_STREAM_KEY", streamKey, "SYSTEM1_REDIS_CHANNEL", channel,
                "SYSTEM1_WORKER_COUNT", Integer.toString(workers),
                "SYSTEM1_CLAIM_IDLE_MS", Long.toString(claimIdleMillis));
        System1Workers pool = System1Workers.start(config);
        closer.add(pool);
        return pool;
    }

    private static Metric metric(String serverId, long timestamp) {
        return new Metric(serverId, timestamp, 40, 50, 60, new Metric.Network(10, 5), Map.of());
    }

    private String add(Jedis jedis, Metric metric) {
        return jedis.xadd(streamKey, XAddParams.xAddParams(), StreamFields.of(metric)).toString();
    }

    private static long pending(Jedis jedis, String streamKey) {
        return jedis.xpending(streamKey, StreamFields.GROUP).getTotal();
    }

    /** A real subscriber on its own connection, subscribed before this returns. */
    private Queue<String> subscribe(RedisProcess redis) throws InterruptedException {
        Queue<String> received = new ConcurrentLinkedQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String name, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String name, String message) {
                received.add(message);
            }
        };
        Jedis jedis = redis.jedis();
        Thread.ofVirtual().start(() -> {
            try {
                jedis.subscribe(listener, channel);
            } catch (JedisException closedByTheTest) {
                // the test is over: the Closer closed the connection under it
            }
        });
        closer.add(() -> {
            listener.unsubscribe();
            jedis.close();
        });
        assertTrue(subscribed.await(5, TimeUnit.SECONDS), "subscribed");
        return received;
    }

    @Test
    void everyEntryIsProcessedAcknowledgedStoredAndPublishedOnce(RedisProcess redis) throws Exception {
        Queue<String> published = subscribe(redis);
        System1Workers pool = start(redis, 3, 30_000);
        String a = "pool-a-" + id;
        String b = "pool-b-" + id;
        Set<String> expected = new HashSet<>();
        try (Jedis jedis = redis.jedis()) {
            for (int i = 0; i < 40; i++) {
                Metric metric = metric(i % 2 == 0 ? a : b, 1_000 + i);
                expected.add(StreamWorkerScript.processedMessage(add(jedis, metric), metric));
            }
            Await.until("40 entries processed", Duration.ofSeconds(10), () -> pool.processed() == 40);
            Await.until("40 messages published", Duration.ofSeconds(5), () -> published.size() == 40);
            assertEquals(expected, new HashSet<>(published));
            assertEquals(0, pending(jedis, streamKey));
            assertEquals(20, MetricAggregates.totals(jedis, a).count());
            assertEquals(20, MetricAggregates.totals(jedis, b).count());
            assertEquals(Map.of("timestamp", "1039", "metrics", metric(b, 1039).metricsJson().toString()),
                    jedis.hgetAll(MetricAggregates.latestKey(b)));
            assertTrue(jedis.smembers(MetricAggregates.SERVERS_KEY).containsAll(List.of(a, b)));
            assertEquals(0, pool.duplicates());
        }
    }

    @Test
    void entriesADeadConsumerLeftPendingAreReclaimedAndCountedOnce(RedisProcess redis) throws Exception {
        String server = "pool-dead-" + id;
        try (Jedis jedis = redis.jedis()) {
            for (int i = 0; i < 10; i++) {
                add(jedis, metric(server, 1_000 + i));
            }
            StreamWorker.ensureGroup(jedis, streamKey);
            // A consumer takes six entries and dies without acknowledging them.
            jedis.xreadGroup(StreamFields.GROUP, "dead-consumer", XReadGroupParams.xReadGroupParams().count(6),
                    Map.of(streamKey, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            assertEquals(6, pending(jedis, streamKey));

            System1Workers pool = start(redis, 2, 200);
            Await.until("all 10 processed", Duration.ofSeconds(10), () -> pool.processed() == 10);
            assertEquals(6, pool.reclaimed());
            Await.until("nothing pending", Duration.ofSeconds(5), () -> pending(jedis, streamKey) == 0);
            assertEquals(10, MetricAggregates.totals(jedis, server).count());
        }
    }

    @Test
    void workersResumeAfterRedisRestartsOnTheSamePort() throws Exception {
        RedisProcess first = RedisProcess.startPrivate();
        int port = first.port();
        String server = "pool-restart-" + id;
        System1Workers pool;
        try {
            pool = start(first, 2, 30_000);
            try (Jedis jedis = first.jedis()) {
                for (int i = 0; i < 5; i++) {
                    add(jedis, metric(server, 1_000 + i));
                }
            }
            Await.until("5 processed before the restart", Duration.ofSeconds(10), () -> pool.processed() == 5);
        } finally {
            first.close(); // the workers' connections break now
        }
        // The second server starts empty on the same port (no persistence): the workers
        // must create the stream and the group again.
        try (RedisProcess second = RedisProcess.startPrivateOn(port); Jedis jedis = second.jedis()) {
            for (int i = 0; i < 5; i++) {
                add(jedis, metric(server, 2_000 + i));
            }
            Await.until("5 more processed after the restart", Duration.ofSeconds(15), () -> pool.processed() == 10);
            Await.until("nothing pending", Duration.ofSeconds(5), () -> pending(jedis, streamKey) == 0);
            assertEquals(5, MetricAggregates.totals(jedis, server).count());
        }
    }
}
