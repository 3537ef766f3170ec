package analytics.system1.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.log.Log;
import analytics.model.Metric;
import analytics.system1.redis.StreamFields;
import analytics.testing.Await;
import analytics.testing.RedisProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * A whole worker process killed with SIGKILL in the middle of a batch: no shutdown hook, no
 * finally, its connection simply gone. Another pool takes over what it left pending, and
 * every metric is counted exactly once.
 *
 * How the kill lands mid-batch, every time: the test runs {@code CLIENT PAUSE ... WRITE},
 * which makes Redis hold every write command - the child's next EVALSHA (or XREADGROUP) waits
 * unexecuted. Once the pending list shows a batch read but not acknowledged, the child is
 * killed; Redis drops the dead client's held command with its connection. A private
 * redis-server, since a pause would stall every other test's connections too.
 */
class WorkerKillTest {

    private static final int METRICS = 20_000;
    private static final int SERVERS = 10;
    private static final long FIRST_TIMESTAMP = 1_764_180_000_000L;

    private final String id = Long.toString(System.nanoTime());
    private final String streamKey = "test:kill:" + id;

    @BeforeEach
    void quiet() {
        Log.setThreshold(Log.Level.ERROR);
    }

    private static String server(int i) {
        return "kill-server-" + i % SERVERS;
    }

    /** Entry i: a valid percentage in whole numbers (so the sums are exact), timestamps rising. */
    private static Metric metric(int i) {
        return new Metric(server(i), FIRST_TIMESTAMP + i, cpu(i), 50, 70, new Metric.Network(1, 2), Map.of());
    }

    private static int cpu(int i) {
        return i / SERVERS % 100;
    }

    @Test
    void aWorkerProcessKilledMidBatchLosesNothingAndCountsNothingTwice() throws Exception {
        Path directory = Files.createTempDirectory("worker-kill-");
        try (RedisProcess redis = RedisProcess.startPrivate(); Jedis jedis = redis.jedis()) {
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < METRICS; i++) {
                fill.xadd(streamKey, XAddParams.xAddParams(), StreamFields.of(metric(i)));
            }
            fill.sync();

            Process child = startWorkerProcess(redis, directory);
            try {
                // Let it get going: some metrics processed, far from all.
                Await.until("the child processes its first entries", Duration.ofSeconds(10),
                        () -> count(jedis, 0) > 0);
                assertTrue(pauseUntilABatchIsInFlight(jedis), "caught a batch read and not acknowledged");
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(5, TimeUnit.SECONDS), "the child is dead");
                Thread.sleep(100); // Redis notices the closed connection before the pause ends
            } finally {
                child.destroyForcibly();
                jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            }
            long pendingAfterKill = pending(jedis);
            long countedBeforeRecovery = total(jedis);
            assertTrue(pendingAfterKill > 0, "the kill left entries pending");
            assertTrue(countedBeforeRecovery > 0 && countedBeforeRecovery < METRICS,
                    "the kill came mid-stream: " + countedBeforeRecovery + " counted");

            Config config = redis.config("SYSTEM1_REDIS_STREAM_KEY", streamKey,
                    "SYSTEM1_REDIS_CHANNEL", "test:kill-channel:" + id, "SYSTEM1_WORKER_COUNT", "2",
                    "SYSTEM1_CLAIM_IDLE_MS", "200");
            try (System1Workers pool = System1Workers.start(config)) {
                // Only the reclaimer can reach a dead consumer's entries. (At least: on a slow
                // machine it may also take over a batch of this pool's own workers idle for
                // 200 ms. Its counter moves just after the XACK, so it is awaited too.)
                Await.until("nothing pending, nothing undelivered, the dead process's entries reclaimed",
                        Duration.ofSeconds(10), () -> pending(jedis) == 0 && lag(jedis) == 0
                                && pool.reclaimed() >= pendingAfterKill);
            }
            assertEquals(METRICS, total(jedis), "every metric counted exactly once");
            for (int s = 0; s < SERVERS; s++) {
                assertServer(jedis, s);
            }
        } finally {
            Files.deleteIfExists(directory.resolve("worker.log"));
            Files.deleteIfExists(directory);
        }
    }

    /** System1WorkersMain in its own JVM, with this test's java and classpath. */
    private Process startWorkerProcess(RedisProcess redis, Path directory) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                System1WorkersMain.class.getName())
                .directory(directory.toFile()) // no .env there
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("worker.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SYSTEM1_REDIS_HOST", redis.host());
        env.put("SYSTEM1_REDIS_PORT", Integer.toString(redis.port()));
        env.put("SYSTEM1_REDIS_STREAM_KEY", streamKey);
        env.put("SYSTEM1_REDIS_CHANNEL", "test:kill-channel:" + id);
        env.put("SYSTEM1_WORKER_COUNT", "4");
        env.put("SYSTEM1_CLAIM_IDLE_MS", "60000"); // its own reclaimer stays out of the way
        env.put("LOG_LEVEL", "warn");
        return builder.start();
    }

    /**
     * CLIENT PAUSE WRITE, then look: if a worker had read a batch, it is pending now and
     * cannot be acknowledged. If the pause fell between batches, let go and try again.
     */
    private boolean pauseUntilABatchIsInFlight(Jedis jedis) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            jedis.sendCommand(Protocol.Command.CLIENT, "PAUSE", "10000", "WRITE");
            Thread.sleep(20); // commands already running finish; the next ones are held
            if (pending(jedis) > 0) {
                return true;
            }
            jedis.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
            Thread.sleep(2);
        }
        return false;
    }

    private long pending(Jedis jedis) {
        return jedis.xpending(streamKey, StreamFields.GROUP).getTotal();
    }

    private long lag(Jedis jedis) {
        for (StreamGroupInfo group : jedis.xinfoGroups(streamKey)) {
            if (group.getName().equals(StreamFields.GROUP)) {
                return (Long) group.getGroupInfo().get("lag");
            }
        }
        return -1;
    }

    private static long count(Jedis jedis, int server) {
        return MetricAggregates.totals(jedis, server(server)).count();
    }

    private static long total(Jedis jedis) {
        long total = 0;
        for (int s = 0; s < SERVERS; s++) {
            total += count(jedis, s);
        }
        return total;
    }

    /** Counts and sums exact, and the latest hash holds the server's newest sample. */
    private static void assertServer(Jedis jedis, int s) {
        MetricAggregates.Totals totals = MetricAggregates.totals(jedis, server(s));
        long cpuSum = 0;
        int newest = -1;
        for (int i = s; i < METRICS; i += SERVERS) {
            cpuSum += cpu(i);
            newest = i;
        }
        assertEquals(METRICS / SERVERS, totals.count(), server(s));
        assertEquals(cpuSum, totals.cpuSum(), 0.0, server(s) + " cpuSum");
        assertEquals(2.0 * METRICS / SERVERS, totals.networkOutSum(), 0.0, server(s) + " networkOutSum");
        assertEquals(Map.of("timestamp", Long.toString(FIRST_TIMESTAMP + newest),
                        "metrics", metric(newest).metricsJson().toString()),
                jedis.hgetAll(MetricAggregates.latestKey(server(s))), server(s) + " latest");
    }
}
