package analytics.system2.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.config.Config;
import analytics.model.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AggregatorTest {

    private static Metric metric(String serverId, long timestamp, double cpu) {
        return new Metric(serverId, timestamp, cpu, cpu, cpu, null, Map.of());
    }

    @Test
    void windowsAreOneFiveAndTenTimesTheBaseWindow() {
        Aggregator aggregator = new Aggregator(250, 10);
        assertEquals(List.of(250L, 1250L, 2500L), aggregator.windowLengthsMs());
        assertEquals(List.of("250", "1250", "2500"),
                aggregator.add(metric("s", 1, 1)).toJson().get("windows").asObject().names());
    }

    @Test
    void takesWindowBufferAndIdleLimitFromTheConfiguration() {
        Config.System2 settings = Config.from(Map.of("SYSTEM2_AGG_WINDOW_MS", "200",
                "SYSTEM2_BUFFER_SIZE", "3", "SYSTEM2_IDLE_EVICT_MS", "60000")).system2();
        Aggregator aggregator = new Aggregator(settings);
        assertEquals(List.of(200L, 1000L, 2000L), aggregator.windowLengthsMs());
        AggregateSnapshot last = null;
        for (int i = 0; i < 5; i++) {
            last = aggregator.add(metric("s", 100, i));
        }
        assertEquals(3, last.windows().get(2).samples(), "SYSTEM2_BUFFER_SIZE caps every window");
        assertEquals(0, aggregator.evictIdle(System.currentTimeMillis() + 30_000));
        assertEquals(1, aggregator.evictIdle(System.currentTimeMillis() + 90_000));
    }

    @Test
    void serversAreAggregatedSeparately() {
        Aggregator aggregator = new Aggregator(1000, 10);
        aggregator.add(metric("a", 1000, 10));
        aggregator.add(metric("b", 5000, 90));
        AggregateSnapshot a = aggregator.add(metric("a", 1000, 30));
        assertEquals("a", a.serverId());
        assertEquals(1000, a.timestamp());
        assertEquals(2, a.windows().get(0).samples());
        assertEquals(20, a.windows().get(0).averages().cpu());
        assertEquals(90, aggregator.snapshot("b").windows().get(0).averages().cpu());
    }

    @Test
    void anUnknownServerHasNoSnapshot() {
        assertNull(new Aggregator(1000, 10).snapshot("nobody"));
    }

    @Test
    void snapshotsCoverEveryServerSortedById() {
        Aggregator aggregator = new Aggregator(1000, 10);
        for (String id : List.of("c", "a", "b")) {
            aggregator.add(metric(id, 1, 1));
        }
        assertEquals(List.of("a", "b", "c"),
                aggregator.snapshots().stream().map(AggregateSnapshot::serverId).toList());
        assertEquals(3, aggregator.serverCount());
    }

    /** 8 threads x 20,000 metrics over 50 servers; every figure must be exact afterwards. */
    @Test
    void manyProducersOnManyServersLoseNothingAndTakeTurnsPerServer() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        int servers = 50;
        int perServer = threads * perThread / servers;
        Aggregator aggregator = new Aggregator(1000, perServer);
        // Which window sample counts each add returned, per server: exactly 1..perServer
        // once each, if adds for one server never interleave.
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                Map<String, List<Integer>> mine = new HashMap<>();
                for (int i = 0; i < perThread; i++) {
                    int n = thread * perThread + i;
                    // Timestamps within 100 ms: arrival order varies, every window holds all.
                    String id = "server-" + (n % servers);
                    AggregateSnapshot snapshot =
                            aggregator.add(metric(id, 1_000_000 + n % 100, n % 101));
                    mine.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(snapshot.windows().get(0).samples());
                }
                mine.forEach((id, counts) -> seen.merge(id, counts, (x, y) -> {
                    List<Integer> both = new ArrayList<>(x);
                    both.addAll(y);
                    return both;
                }));
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertEquals(servers, aggregator.serverCount());
        for (int s = 0; s < servers; s++) {
            String id = "server-" + s;
            long cpuSum = 0;
            for (int n = s; n < threads * perThread; n += servers) {
                cpuSum += n % 101;
            }
            AggregateSnapshot snapshot = aggregator.snapshot(id);
            for (AggregateSnapshot.Window window : snapshot.windows()) {
                assertEquals(perServer, window.samples(), id);
                assertEquals((double) cpuSum / perServer, window.averages().cpu(), id);
            }
            List<Integer> counts = new ArrayList<>(seen.get(id));
            counts.sort(null);
            for (int k = 0; k < perServer; k++) {
                assertEquals(k + 1, counts.get(k), id + ": each add saw its own count");
            }
        }
    }

    @Test
    void aServerFedFromManyThreadsHoldsExactlyItsBufferSize() throws Exception {
        Aggregator aggregator = new Aggregator(1000, 100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    aggregator.add(metric("hot", 5_000, 50));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        for (AggregateSnapshot.Window window : aggregator.snapshot("hot").windows()) {
            assertEquals(100, window.samples());
            assertEquals(50, window.averages().cpu());
        }
    }

    @Test
    void evictsOnlyServersSilentLongerThanTheIdleLimit() {
        AtomicLong now = new AtomicLong(1_000);
        Aggregator aggregator = new Aggregator(1000, 10, 5_000, now::get);
        aggregator.add(metric("old", 1, 1));
        now.set(4_000);
        aggregator.add(metric("fresh", 1, 1));
        assertEquals(0, aggregator.evictIdle(6_000), "old is silent exactly 5 s: not longer");
        assertEquals(1, aggregator.evictIdle(6_001));
        assertNull(aggregator.snapshot("old"));
        assertEquals("fresh", aggregator.snapshot("fresh").serverId());
        assertEquals(1, aggregator.serverCount());
    }

    @Test
    void aServerThatReturnsAfterEvictionStartsAfresh() {
        AtomicLong now = new AtomicLong(0);
        Aggregator aggregator = new Aggregator(1000, 10, 100, now::get);
        aggregator.add(metric("s", 1000, 10));
        aggregator.add(metric("s", 1000, 20));
        assertEquals(1, aggregator.evictIdle(101));
        now.set(200);
        AggregateSnapshot back = aggregator.add(metric("s", 900, 60));
        assertEquals(1, back.windows().get(0).samples());
        assertEquals(900, back.timestamp(), "the newest timestamp was forgotten too");
    }

    @Test
    void withoutAnIdleLimitEvictIdleTakesACutoff() {
        Aggregator aggregator = new Aggregator(1000, 10);
        aggregator.add(metric("s", 1, 1));
        long addedBy = System.currentTimeMillis();
        assertEquals(0, aggregator.evictIdle(addedBy - 60_000));
        assertEquals(1, aggregator.evictIdle(addedBy + 1));
    }

    @Test
    void evictionRacingWithProducersNeverLosesTheMetricBeingAdded() throws Exception {
        Aggregator aggregator = new Aggregator(1000, 50, 0, () -> 0);
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread evictor = Thread.ofPlatform().start(() -> {
            while (producing.get()) {
                aggregator.evictIdle(1); // every server is idle: evict all, again and again
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    String id = "server-" + i % 5;
                    // One timestamp for all: no sample can arrive late and stay uncounted,
                    // so whichever state took this metric must show at least it.
                    AggregateSnapshot snapshot = aggregator.add(metric(id, 1000, 1));
                    assertNotNull(snapshot);
                    assertEquals(id, snapshot.serverId());
                    assertTrue(snapshot.windows().get(0).samples() >= 1);
                }
            }));
        }
        try {
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            producing.set(false);
            evictor.join();
            pool.shutdown();
        }
        for (AggregateSnapshot snapshot : aggregator.snapshots()) {
            assertTrue(snapshot.windows().get(0).samples() >= 1);
        }
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Aggregator(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Aggregator(1000, 0));
        assertThrows(IllegalArgumentException.class, () -> new Aggregator(1000, 10, -1, () -> 0));
    }
}
