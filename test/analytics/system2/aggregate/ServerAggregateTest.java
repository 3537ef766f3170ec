package analytics.system2.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import analytics.model.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Running sums checked against plain full scans: the original's, and our out-of-order rule. */
class ServerAggregateTest {

    private static final long[] WINDOWS = {1000, 5000, 10_000};

    private static ServerAggregate aggregate(int bufferSize) {
        return new ServerAggregate("s", bufferSize, WINDOWS, 0);
    }

    private static Metric metric(long timestamp, Random random) {
        Metric.Network network = random.nextInt(10) == 0 ? null
                : new Metric.Network(random.nextDouble() * 5000, random.nextDouble() * 5000);
        return new Metric("s", timestamp, random.nextDouble() * 100, random.nextDouble() * 100,
                random.nextDouble() * 100, network, Map.of());
    }

    /**
     * The original's algorithm, written plainly: keep the last N samples; on every metric,
     * for every window, scan them all and average those with
     * {@code timestamp >= latest - windowMs}, latest being the last sample's timestamp.
     */
    static final class OriginalScan {
        final List<Metric> buffer = new ArrayList<>();
        final int size;

        OriginalScan(int size) {
            this.size = size;
        }

        void add(Metric metric) {
            buffer.add(metric);
            if (buffer.size() > size) {
                buffer.remove(0);
            }
        }

        List<Metric> window(long windowMs) {
            long latest = buffer.get(buffer.size() - 1).timestamp();
            return buffer.stream().filter(m -> m.timestamp() >= latest - windowMs).toList();
        }
    }

    /**
     * Our rule for samples out of order (see SlidingWindow), written plainly: newest is the
     * largest timestamp seen; a held sample is in a window if it passed the filter against
     * the newest of its own arrival, and does not come before - in arrival order - the
     * first held sample that passes the filter now.
     */
    static final class DocumentedRule {
        record Held(Metric metric, long newestOnArrival) {
        }

        final List<Held> buffer = new ArrayList<>();
        final int size;
        long newest = Long.MIN_VALUE;

        DocumentedRule(int size) {
            this.size = size;
        }

        void add(Metric metric) {
            newest = Math.max(newest, metric.timestamp());
            buffer.add(new Held(metric, newest));
            if (buffer.size() > size) {
                buffer.remove(0);
            }
        }

        List<Metric> window(long windowMs) {
            long cutoff = newest - windowMs;
            int first = 0;
            while (first < buffer.size() && buffer.get(first).metric().timestamp() < cutoff) {
                first++;
            }
            List<Metric> inside = new ArrayList<>();
            for (Held held : buffer.subList(first, buffer.size())) {
                if (held.metric().timestamp() >= held.newestOnArrival() - windowMs) {
                    inside.add(held.metric());
                }
            }
            return inside;
        }
    }

    /**
     * Sample counts exactly; averages to 1e-9 relative, gauge by gauge. The 1e-18 floor
     * only matters when every value is 0, where a relative bound would demand exactly 0.
     */
    static void assertSameAsScan(List<Metric> expected, AggregateSnapshot.Window actual) {
        String where = "window " + actual.lengthMs();
        assertEquals(expected.size(), actual.samples(), "samples in " + where);
        if (expected.isEmpty()) {
            assertNull(actual.averages(), where);
            return;
        }
        for (Gauge gauge : Gauge.ALL) {
            double sum = 0;
            for (Metric m : expected) {
                sum += gauge.of(m);
            }
            double want = sum / expected.size();
            double got = switch (gauge) {
                case CPU -> actual.averages().cpu();
                case MEMORY -> actual.averages().memory();
                case DISK -> actual.averages().disk();
                case NETWORK_IN -> actual.averages().networkIn();
                case NETWORK_OUT -> actual.averages().networkOut();
            };
            assertEquals(want, got, Math.abs(want) * 1e-9 + 1e-18, gauge + " in " + where);
        }
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 2, 7, 500})
    void runningSumsEqualTheOriginalsFullScanForSamplesInOrder(int bufferSize) {
        Random random = new Random(42);
        ServerAggregate aggregate = aggregate(bufferSize);
        OriginalScan original = new OriginalScan(bufferSize);
        long[] steps = {0, 1, 250, 500, 999, 1000, 1001, 4000, 5000, 10_000};
        int[] onTheBoundary = new int[WINDOWS.length];
        long timestamp = 1_764_180_000_000L;
        for (int i = 0; i < 5_000; i++) {
            timestamp += random.nextBoolean()
                    ? steps[random.nextInt(steps.length)] : random.nextInt(300);
            Metric m = metric(timestamp, random);
            original.add(m);
            AggregateSnapshot snapshot = aggregate.add(m, 0);
            assertEquals(timestamp, snapshot.timestamp());
            for (int w = 0; w < WINDOWS.length; w++) {
                List<Metric> expected = original.window(WINDOWS[w]);
                assertSameAsScan(expected, snapshot.windows().get(w));
                long edge = timestamp - WINDOWS[w];
                if (original.buffer.stream().anyMatch(held -> held.timestamp() == edge)) {
                    onTheBoundary[w]++;
                }
            }
        }
        if (bufferSize > 1) {
            for (int w = 0; w < WINDOWS.length; w++) {
                assertTrue(onTheBoundary[w] > 10, "the sequence must hit newest - " + WINDOWS[w]
                        + " exactly; it did " + onTheBoundary[w] + " times");
            }
        }
    }

    @ParameterizedTest(name = "buffer {0}")
    @ValueSource(ints = {1, 2, 7, 500})
    void samplesOutOfOrderFollowTheDocumentedRule(int bufferSize) {
        Random random = new Random(1234);
        ServerAggregate aggregate = aggregate(bufferSize);
        DocumentedRule rule = new DocumentedRule(bufferSize);
        long clock = 1_000_000;
        for (int i = 0; i < 5_000; i++) {
            clock += random.nextInt(200);
            // One in four is late, by up to 12 s: some inside each window, some beyond all.
            long timestamp = random.nextInt(4) == 0 ? clock - random.nextInt(12_000) : clock;
            Metric m = metric(timestamp, random);
            rule.add(m);
            AggregateSnapshot snapshot = aggregate.add(m, 0);
            assertEquals(rule.newest, snapshot.timestamp(), "newest is the largest timestamp");
            for (int w = 0; w < WINDOWS.length; w++) {
                assertSameAsScan(rule.window(WINDOWS[w]), snapshot.windows().get(w));
            }
        }
    }

    @Test
    void theDocumentedRuleIsTheOriginalsScanWhenSamplesArriveInOrder() {
        Random random = new Random(5);
        OriginalScan original = new OriginalScan(50);
        DocumentedRule rule = new DocumentedRule(50);
        long timestamp = 0;
        for (int i = 0; i < 2_000; i++) {
            timestamp += random.nextInt(700);
            Metric m = metric(timestamp, random);
            original.add(m);
            rule.add(m);
            for (long windowMs : WINDOWS) {
                assertEquals(original.window(windowMs), rule.window(windowMs));
            }
        }
    }

    @Test
    void aMillionSamplesWithHugeSpikesStillMatchAFullScanToOnePartInABillion() {
        Random random = new Random(7);
        ServerAggregate aggregate = aggregate(500);
        OriginalScan original = new OriginalScan(500);
        long timestamp = 0;
        for (int i = 1; i <= 1_000_000; i++) {
            timestamp += random.nextInt(21);
            // Bytes per second: mostly small, now and then a 1e12 burst. With plain running
            // sums the burst's rounding stays behind after it leaves the window.
            double in = random.nextInt(1000) == 0
                    ? 1e12 * random.nextDouble() : random.nextDouble();
            Metric m = new Metric("s", timestamp, random.nextDouble() * 100,
                    random.nextDouble() * 100, random.nextDouble() * 100,
                    new Metric.Network(in, random.nextDouble() * 1000), Map.of());
            original.add(m);
            AggregateSnapshot snapshot = aggregate.add(m, 0);
            if (i % 1000 == 0 || i > 999_000) {
                for (int w = 0; w < WINDOWS.length; w++) {
                    assertSameAsScan(original.window(WINDOWS[w]), snapshot.windows().get(w));
                }
            }
        }
    }

    @Test
    void theReportedTimestampIsTheLargestSeenNotTheLastArrived() {
        ServerAggregate aggregate = aggregate(10);
        Random random = new Random(1);
        aggregate.add(metric(50_000, random), 0);
        assertEquals(50_000, aggregate.add(metric(40_000, random), 0).timestamp());
    }

    @Test
    void retiresOnlyWhenSilentLongerThanTheLimit() {
        ServerAggregate aggregate = new ServerAggregate("s", 10, WINDOWS, 1_000);
        assertFalse(aggregate.retireIfIdle(1_500, 500), "silent exactly 500 ms is not longer");
        aggregate.add(metric(1, new Random(1)), 1_400);
        assertFalse(aggregate.retireIfIdle(1_900, 500), "a metric restarts the silence");
        assertTrue(aggregate.retireIfIdle(1_901, 500));
    }

    @Test
    void aRetiredAggregateRefusesMetricsAndSnapshots() {
        ServerAggregate aggregate = aggregate(10);
        aggregate.add(metric(1, new Random(1)), 0);
        assertTrue(aggregate.retireIfIdle(1, 0));
        assertNull(aggregate.add(metric(2, new Random(2)), 2));
        assertNull(aggregate.snapshot());
        assertTrue(aggregate.retireIfIdle(0, Long.MAX_VALUE), "retired for good");
    }
}
