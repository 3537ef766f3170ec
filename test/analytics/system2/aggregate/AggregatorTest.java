package analytics.system2.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import analytics.model.Metric;
import com.eclipsesource.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AggregatorTest {

    private static Metric metric(String serverId, long timestamp, double cpu) {
        return new Metric(serverId, timestamp, cpu, cpu / 2, 100 - cpu,
                new Metric.Network(cpu * 3, cpu * 7), Map.of());
    }

    /** The original's algorithm, written plainly: keep the last N, filter by timestamp, average. */
    private static final class BruteForce {
        private final List<Metric> buffer = new ArrayList<>();
        private final int size;

        BruteForce(int size) {
            this.size = size;
        }

        void add(Metric metric) {
            buffer.add(metric);
            if (buffer.size() > size) {
                buffer.remove(0);
            }
        }

        /** {samples, cpu, memory, disk, in, out} for the window, newest = the last sample's timestamp. */
        double[] window(long lengthMs) {
            long newest = buffer.get(buffer.size() - 1).timestamp();
            double[] result = new double[6];
            for (Metric m : buffer) {
                if (m.timestamp() >= newest - lengthMs) {
                    result[0]++;
                    result[1] += m.cpu();
                    result[2] += m.memory();
                    result[3] += m.disk();
                    result[4] += m.networkIn();
                    result[5] += m.networkOut();
                }
            }
            for (int i = 1; i < 6; i++) {
                result[i] /= result[0];
            }
            return result;
        }
    }

    private static void assertMatches(BruteForce expected, AggregateSnapshot actual, double tolerance) {
        for (AggregateSnapshot.Window window : actual.windows()) {
            double[] want = expected.window(window.lengthMs());
            assertEquals((int) want[0], window.samples(), "samples in " + window.lengthMs());
            for (int f = 0; f < 5; f++) {
                assertEquals(want[f + 1], window.averages()[f], Math.abs(want[f + 1]) * tolerance + 1e-12,
                        SampleRing.FIELDS[f] + " in " + window.lengthMs());
            }
        }
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 2, 7, 500})
    void runningSumsEqualAFullScanForInOrderSamples(int bufferSize) {
        Random random = new Random(42);
        Aggregator aggregator = new Aggregator(1000, bufferSize);
        BruteForce expected = new BruteForce(bufferSize);
        long timestamp = 1_000_000;
        for (int i = 0; i < 5_000; i++) {
            timestamp += random.nextInt(4) == 0 ? 1000 : random.nextInt(400); // some exactly on the edge
            Metric m = metric("s", timestamp, random.nextDouble() * 100);
            expected.add(m);
            assertMatches(expected, aggregator.add(m), 1e-9);
        }
    }

    @Test
    void aSampleExactlyOneWindowOldIsInside() {
        Aggregator aggregator = new Aggregator(1000, 10);
        aggregator.add(metric("s", 10_000, 10));
        AggregateSnapshot snapshot = aggregator.add(metric("s", 11_000, 30));
        assertEquals(2, snapshot.windows().get(0).samples()); // 10_000 >= 11_000 - 1000
        AggregateSnapshot later = aggregator.add(metric("s", 11_001, 50));
        assertEquals(2, later.windows().get(0).samples()); // 10_000 is now 1001 ms old
        assertEquals(40, later.windows().get(0).averages()[0], 1e-12);
        assertEquals(3, later.windows().get(1).samples());
    }

    @Test
    void aLateSampleOlderThanTheWindowIsNotCounted() {
        Aggregator aggregator = new Aggregator(1000, 10);
        aggregator.add(metric("s", 50_000, 10));
        AggregateSnapshot snapshot = aggregator.add(metric("s", 40_000, 90)); // 10 s late
        assertEquals(50_000, snapshot.timestamp(), "newest stays the largest timestamp");
        assertEquals(1, snapshot.windows().get(0).samples());
        assertEquals(1, snapshot.windows().get(1).samples()); // 5 s window
        assertEquals(2, snapshot.windows().get(2).samples()); // 10 s window: 40_000 >= 50_000 - 10_000
        assertEquals(50, snapshot.windows().get(2).averages()[0], 1e-12);
    }

    @Test
    void aSlightlyLateSampleInsideTheWindowIsCounted() {
        Aggregator aggregator = new Aggregator(1000, 10);
        aggregator.add(metric("s", 50_000, 10));
        AggregateSnapshot snapshot = aggregator.add(metric("s", 49_500, 30));
        assertEquals(2, snapshot.windows().get(0).samples());
        assertEquals(20, snapshot.windows().get(0).averages()[0], 1e-12);
    }

    @Test
    void aWindowCanBeEmptyAndThenHasNullAverages() {
        // Buffer of one: a late sample replaces the newest and lies outside the 1 s window.
        Aggregator aggregator = new Aggregator(1000, 1);
        aggregator.add(metric("s", 50_000, 10));
        AggregateSnapshot snapshot = aggregator.add(metric("s", 45_000, 30));
        assertEquals(0, snapshot.windows().get(0).samples());
        assertNull(snapshot.windows().get(0).averages());
        assertEquals(Json.parse("{\"samples\":0,\"averages\":null}"),
                snapshot.toJson().get("windows").asObject().get("1000"));
    }

    @Test
    void jsonHasTheContractsShape() {
        Aggregator aggregator = new Aggregator(1000, 500);
        AggregateSnapshot snapshot = aggregator.add(new Metric("server-1", 1_764_180_000_000L,
                40, 50, 60, null, Map.of()));
        assertEquals(Json.parse("""
                {"serverId":"server-1","timestamp":1764180000000,"windows":{
                 "1000":{"samples":1,"averages":{"cpu":40,"memory":50,"disk":60,"networkIn":0,"networkOut":0}},
                 "5000":{"samples":1,"averages":{"cpu":40,"memory":50,"disk":60,"networkIn":0,"networkOut":0}},
                 "10000":{"samples":1,"averages":{"cpu":40,"memory":50,"disk":60,"networkIn":0,"networkOut":0}}}}"""),
                snapshot.toJson());
    }

    @Test
    void windowKeysFollowTheBaseWindow() {
        Aggregator aggregator = new Aggregator(250, 10);
        assertEquals(List.of("250", "1250", "2500"),
                aggregator.add(metric("s", 1, 1)).toJson().get("windows").asObject().names());
    }

    @Test
    void aMillionSamplesDoNotDrift() {
        Random random = new Random(7);
        Aggregator aggregator = new Aggregator(1000, 500);
        BruteForce expected = new BruteForce(500);
        AggregateSnapshot last = null;
        for (int i = 0; i < 1_000_000; i++) {
            Metric m = metric("s", i * 10L, random.nextDouble() * 100);
            expected.add(m);
            last = aggregator.add(m);
        }
        assertMatches(expected, last, 1e-9);
    }

    @Test
    void manyProducersLoseNothing() throws Exception {
        Aggregator aggregator = new Aggregator(1_000_000, 100_000);
        int threads = 8;
        int perThread = 20_000;
        int servers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    aggregator.add(metric("server-" + ((id * perThread + i) % servers), 1000, i % 100));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(servers, aggregator.serverCount());
        long total = 0;
        for (AggregateSnapshot snapshot : aggregator.snapshots()) {
            total += snapshot.windows().get(2).samples();
        }
        assertEquals((long) threads * perThread, total);
    }

    @Test
    void evictsOnlyServersIdleSinceTheCutoff() {
        AtomicLong now = new AtomicLong(1_000);
        Aggregator aggregator = new Aggregator(1000, 10, now::get);
        aggregator.add(metric("old", 1, 1));
        now.set(5_000);
        aggregator.add(metric("fresh", 1, 1));
        assertEquals(1, aggregator.evictIdle(2_000));
        assertNull(aggregator.snapshot("old"));
        assertEquals("fresh", aggregator.snapshot("fresh").serverId());
        assertEquals(1, aggregator.serverCount());
    }

    @Test
    void unknownServerHasNoSnapshot() {
        assertNull(new Aggregator(1000, 10).snapshot("nobody"));
    }
}
