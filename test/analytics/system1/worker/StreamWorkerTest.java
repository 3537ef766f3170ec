package analytics.system1.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.model.Metric;
import analytics.redis.RedisConnector;
import analytics.system1.redis.StreamFields;
import analytics.testing.Await;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;

/** One worker on a real redis-server: it resumes with its own pending entries. */
@ExtendWith(RedisExtension.class)
class StreamWorkerTest {

    private final String id = Long.toString(System.nanoTime());
    private final String streamKey = "test:worker:" + id;
    private final String serverId = "worker-server-" + id;

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    @Test
    void aRestartedConsumerFirstProcessesWhatItWasGivenBefore(RedisProcess redis) throws Exception {
        try (Jedis jedis = redis.jedis()) {
            for (int i = 0; i < 3; i++) {
                jedis.xadd(streamKey, XAddParams.xAddParams(),
                        StreamFields.of(new Metric(serverId, 1_000 + i, 10, 20, 30, null, Map.of())));
            }
            StreamWorker.ensureGroup(jedis, streamKey);
            // "me" is given all three, then crashes before acknowledging any.
            jedis.xreadGroup(StreamFields.GROUP, "me", XReadGroupParams.xReadGroupParams().count(10),
                    Map.of(streamKey, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            assertEquals(3, jedis.xpending(streamKey, StreamFields.GROUP).getTotal());
        }
        Config config = redis.config();
        // "me" again, and no reclaimer: XREADGROUP ... > would never return these entries
        // again, so only the history read (id 0) can find them.
        try (StreamWorker worker = new StreamWorker("me", new RedisConnector(config.redis(), "worker-test"),
                streamKey, new GroupReader(streamKey, "me"), new StreamWorkerScript(streamKey, "test:ch:" + id))) {
            worker.start();
            Await.until("the worker processes its own pending entries", Duration.ofSeconds(10),
                    () -> worker.processed() == 3);
        }
        try (Jedis jedis = redis.jedis()) {
            assertEquals(0, jedis.xpending(streamKey, StreamFields.GROUP).getTotal());
            assertEquals(3, MetricAggregates.totals(jedis, serverId).count());
        }
    }

    @Test
    void aWorkerWhoseConnectionIsKilledReconnectsAndGoesOn() throws Exception {
        try (RedisProcess redis = RedisProcess.startPrivate()) { // CLIENT KILL must not hit the shared one
            Config config = redis.config();
            try (StreamWorker worker = new StreamWorker("w", new RedisConnector(config.redis(), "worker-test"),
                    streamKey, new GroupReader(streamKey, "w"), new StreamWorkerScript(streamKey, "test:ch:" + id));
                 Jedis jedis = redis.jedis()) {
                worker.start();
                jedis.xadd(streamKey, XAddParams.xAddParams(),
                        StreamFields.of(new Metric(serverId, 1_000, 10, 20, 30, null, Map.of())));
                Await.until("the first entry is processed", Duration.ofSeconds(10), () -> worker.processed() == 1);
                // Every connection but ours is closed by Redis: the worker's read fails.
                jedis.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
                jedis.xadd(streamKey, XAddParams.xAddParams(),
                        StreamFields.of(new Metric(serverId, 2_000, 10, 20, 30, null, Map.of())));
                Await.until("the entry written meanwhile is processed", Duration.ofSeconds(10),
                        () -> worker.processed() == 2);
                assertEquals(2, MetricAggregates.totals(jedis, serverId).count());
                assertTrue(jedis.clientList().contains("name=worker-test"), "a new connection, same name");
            }
        }
    }
}
