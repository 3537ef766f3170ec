package analytics.system2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.log.Log;
import analytics.testing.Closer;
import analytics.testing.JdkWebSocketClient;
import analytics.testing.RedisExtension;
import analytics.testing.RedisProcess;
import analytics.testing.System2Fleet;
import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the bridge costs a dashboard, measured in one run: the same 3,000 metrics (500 a
 * second, after 500 not counted) go to a bridged shard A and to an instance alone; the delay from sending a metric
 * to its metric.update is taken on three dashboards - on the instance alone, on A itself,
 * and on shard B, which hears of it through Redis. It prints the percentiles lesson 22
 * quotes, and fails when an update is missing or the bridge adds more than 100 ms to the
 * median (500 ms to the 99th percentile) of the owner's own dashboard.
 */
@ExtendWith(RedisExtension.class)
class BridgeDelayTest {

    /**
     * The first three seconds warm the JIT and the connections up: sent, not counted. With a
     * one-second warm-up the first counted metrics still waited up to 700 ms on every path.
     */
    private static final int WARMUP = 1_500;
    private static final int METRICS = WARMUP + 3_000;
    private static final long EVERY_NANOS = 2_000_000; // 500 metrics a second, open loop

    @AutoClose
    private final Closer closer = new Closer();
    @AutoClose("shutdownNow")
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void theBridgeAddsMillisecondsToWhatTheOwnersDashboardSees(RedisProcess redis) throws Exception {
        Log.setThreshold(Log.Level.WARN);
        System2Fleet shards = closer.add(new System2Fleet(2,
                "SYSTEM2_BRIDGE_REDIS_URL", "redis://" + redis.host() + ":" + redis.port(),
                "SYSTEM2_BRIDGE_CHANNEL", "test:delay:" + UUID.randomUUID()));
        System2Fleet alone = closer.add(new System2Fleet(1));
        long[] sentToShard = new long[METRICS];
        long[] sentAlone = new long[METRICS];
        Future<long[]> onAlone = arrivals(dashboard(alone.uri(0)));
        Future<long[]> onOwner = arrivals(dashboard(shards.uri(0)));
        Future<long[]> viaBridge = arrivals(dashboard(shards.uri(1)));
        JdkWebSocketClient toShard = closer.add(JdkWebSocketClient.connect(shards.uri(0)));
        JdkWebSocketClient toAlone = closer.add(JdkWebSocketClient.connect(alone.uri(0)));

        long start = System.nanoTime();
        for (int i = 0; i < METRICS; i++) {
            LockSupport.parkNanos(start + i * EVERY_NANOS - System.nanoTime()); // pacing, not waiting for a state
            String metric = metric(i);
            sentAlone[i] = System.nanoTime();
            toAlone.send(metric);
            sentToShard[i] = System.nanoTime();
            toShard.send(metric);
        }

        long[] aloneDelays = delaysNanos(sentAlone, onAlone.get(30, TimeUnit.SECONDS));
        long[] ownerDelays = delaysNanos(sentToShard, onOwner.get(30, TimeUnit.SECONDS));
        long[] bridged = delaysNanos(sentToShard, viaBridge.get(30, TimeUnit.SECONDS));
        System.out.printf("bridge delay, %d metrics at 500/s, send to metric.update, p50/p99/max ms:"
                + " instance alone %s; bridged shard's own dashboard %s; other shard, via Redis %s"
                + " (sending took %d ms, load average %.1f on %d cores)%n",
                METRICS - WARMUP, percentiles(aloneDelays), percentiles(ownerDelays), percentiles(bridged),
                (System.nanoTime() - start) / 1_000_000,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        // Against the owner's own dashboard, which saw the same metrics at the same moments:
        // a stall of the shared machine hits both alike, so only the bridge's share is judged.
        assertTrue(p(bridged, 50) < p(ownerDelays, 50) + 100_000_000L, "p50 via the bridge: " + percentiles(bridged));
        assertTrue(p(bridged, 99) < p(ownerDelays, 99) + 500_000_000L, "p99 via the bridge: " + percentiles(bridged));
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[sorted.length * percentile / 100];
    }

    private JdkWebSocketClient dashboard(String uri) {
        JdkWebSocketClient dashboard = closer.add(JdkWebSocketClient.connect(uri));
        dashboard.send("{\"type\":\"register\",\"role\":\"dashboard\"}");
        dashboard.next("register.ack");
        return dashboard;
    }

    /** "lat-i": one server per metric, so an update names the metric it answers. */
    private static String metric(int i) {
        return "{\"type\":\"metric\",\"serverId\":\"lat-" + i + "\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"cpu\":1,\"memory\":2,\"disk\":3}}";
    }

    /** When each metric's update reached this dashboard, read as soon as it is handed over. */
    private Future<long[]> arrivals(JdkWebSocketClient dashboard) {
        return readers.submit(() -> {
            long[] at = new long[METRICS];
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen < METRICS && System.nanoTime() < deadline) {
                String text = dashboard.poll(1_000);
                long now = System.nanoTime();
                if (text == null) {
                    continue;
                }
                JsonObject message = Json.parse(text).asObject();
                if (message.getString("type", "").equals("metric.update")) {
                    String serverId = message.get("payload").asObject().getString("serverId", "");
                    at[Integer.parseInt(serverId.substring("lat-".length()))] = now;
                    seen++;
                }
            }
            assertEquals(METRICS, seen, "updates received");
            return at;
        });
    }

    private static long[] delaysNanos(long[] sent, long[] received) {
        long[] delays = new long[sent.length - WARMUP];
        for (int i = WARMUP; i < sent.length; i++) {
            delays[i - WARMUP] = received[i] - sent[i];
        }
        Arrays.sort(delays);
        return delays;
    }

    private static String percentiles(long[] sortedNanos) {
        return String.format("%.1f/%.1f/%.1f", p(sortedNanos, 50) / 1e6, p(sortedNanos, 99) / 1e6,
                sortedNanos[sortedNanos.length - 1] / 1e6);
    }
}
