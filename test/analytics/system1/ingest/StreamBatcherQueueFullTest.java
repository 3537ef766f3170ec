package analytics.system1.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.model.Metric;
import analytics.redis.RedisConnector;
import analytics.redis.RedisUnavailableException;
import analytics.testing.Closer;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The reference answer to lesson 11's exercise 3: with a queue of one and Redis holding
 * writes, an append that finds the queue full fails at once with the reason, and the
 * appends that were admitted complete with ids once Redis lets writes through again.
 */
@ExtendWith(RedisExtension.class)
class StreamBatcherQueueFullTest {

    @AutoClose
    private final Closer closer = new Closer();

    private static Metric metric(String serverId) {
        return new Metric(serverId, 1_764_180_000_000L, 42.5, 61.2, 70.1, new Metric.Network(320, 210), Map.of());
    }

    @Test
    void anAppendThatFindsTheQueueFullFailsAtOnceAndTheOthersLandAfterThePause(RedisProcess redis)
            throws Exception {
        Log.setThreshold(Log.Level.ERROR);
        String streamKey = "test:queue-full:" + System.nanoTime();
        StreamBatcher batcher = closer.add(new StreamBatcher(
                new RedisConnector(RedisProcess.configAt(redis.host(), redis.port()).redis(), "queue-full-test"),
                streamKey, 1_000, 1));
        batcher.start(Duration.ofSeconds(5));

        List<CompletableFuture<String>> appends = new ArrayList<>();
        try (Jedis admin = redis.jedis()) {
            admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "500", "WRITE");
            for (int i = 0; i < 3; i++) {
                appends.add(batcher.append(metric("server-" + i)));
            }
        }

        List<CompletableFuture<String>> refused = appends.stream().filter(CompletableFuture::isDone).toList();
        assertFalse(refused.isEmpty(), "no append was refused while the queue was full");
        for (CompletableFuture<String> append : refused) {
            ExecutionException e = assertThrows(ExecutionException.class, append::get);
            assertTrue(e.getCause() instanceof RedisUnavailableException, e.toString());
            // The count is read after the refusal; the batcher may have taken the job by then.
            assertTrue(e.getCause().getMessage().matches("ingest queue full \\([01] waiting\\)"),
                    e.getCause().getMessage());
        }
        int landed = 0;
        for (CompletableFuture<String> append : appends) {
            if (!refused.contains(append)) {
                assertNotNull(append.get(10, TimeUnit.SECONDS));
                landed++;
            }
        }
        try (Jedis jedis = redis.jedis()) {
            assertEquals(landed, jedis.xlen(streamKey), "every admitted append is in the stream");
        }
    }
}
