package analytics.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The histogram against the truth: the same samples kept and sorted here, and their exact
 * nearest-rank percentiles. Every reported percentile must be at or above the exact one (the
 * histogram reports a bucket's highest value) and within 1 % of it.
 */
class LatencyHistogramTest {

    private static final int SAMPLES = 200_000;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};
    private static final long TEN_MINUTES_MICROS = 600_000_000L;

    @Test
    @Tag("histogram-3")
    void uniformPercentilesAreWithinOnePercent() {
        Random random = new Random(1);
        assertWithinOnePercent(samples(() -> random.nextLong(1_000_000)));
    }

    @Test
    @Tag("histogram-3")
    void exponentialPercentilesAreWithinOnePercent() {
        Random random = new Random(2);
        double meanMicros = 2_000;
        // Inverse transform: -mean * ln(1 - u) is exponential for u uniform in [0, 1).
        assertWithinOnePercent(
                samples(() -> (long) (-meanMicros * Math.log(1 - random.nextDouble()))));
    }

    /** 0.5 % of requests hit a 500 ms stall: p50 and p99 see the fast mode, p99.9 the stall. */
    @Test
    @Tag("histogram-3")
    void bimodalWithARareStallShowsTheStallInTheTail() {
        Random random = new Random(3);
        long[] samples = samples(() -> random.nextInt(1000) < 5
                ? 500_000 + random.nextInt(20_000)
                : 1_000 + random.nextInt(2_000));
        LatencyHistogram histogram = assertWithinOnePercent(samples);
        assertTrue(histogram.percentile(99) < 3_100, "p99 " + histogram.percentile(99));
        assertTrue(histogram.percentile(99.9) >= 500_000, "p99.9 " + histogram.percentile(99.9));
    }

    @Test
    @Tag("histogram-3")
    void valuesFromOneMicrosecondToTenMinutesAreWithinOnePercent() {
        Random random = new Random(4);
        // Log-uniform: as many samples between 1 and 10 µs as between 1 and 10 minutes.
        double logRange = Math.log(TEN_MINUTES_MICROS);
        long[] samples = samples(() -> (long) Math.exp(random.nextDouble() * logRange));
        LatencyHistogram histogram = assertWithinOnePercent(samples);
        long[] sorted = sorted(samples);
        for (double p = 1; p <= 100; p += 1) { // every percentile, not only the usual five
            long exact = exactPercentile(sorted, p);
            long reported = histogram.percentile(p);
            assertTrue(reported >= exact && reported <= exact * 1.01, "p" + p + ": exact " + exact
                    + ", reported " + reported);
        }
    }

    @Test
    @Tag("histogram-2")
    void valuesBelowTwiceTheSubBucketCountAreExact() {
        int n = 2 * LatencyHistogram.SUB_BUCKET_COUNT; // 256: every value has a bucket of its own
        LatencyHistogram histogram = new LatencyHistogram();
        for (int value = n - 1; value >= 0; value--) {
            histogram.record(value);
        }
        for (int k = 1; k <= n; k++) {
            assertEquals(k - 1, histogram.percentile(100.0 * k / n), "rank " + k);
        }
        assertEquals(0, histogram.min());
        assertEquals(n - 1, histogram.max());
        assertEquals((n - 1) / 2.0, histogram.mean());
    }

    @Test
    @Tag("histogram-1")
    void everyBucketsHighestValueIsWithinOnePercentOfItsLowest() {
        assertEquals(LatencyHistogram.BUCKET_COUNT - 1,
                LatencyHistogram.indexOf(LatencyHistogram.HIGHEST_TRACKABLE_MICROS));
        assertTrue(LatencyHistogram.HIGHEST_TRACKABLE_MICROS >= 3_600_000_000L, "an hour fits");
        long lowest = 0;
        for (int index = 0; index < LatencyHistogram.BUCKET_COUNT; index++) {
            long highest = LatencyHistogram.highestValueIn(index);
            assertEquals(index, LatencyHistogram.indexOf(lowest), "lowest of " + index);
            assertEquals(index, LatencyHistogram.indexOf(highest), "highest of " + index);
            assertTrue(highest - lowest < Math.max(1, lowest / 100.0), "bucket " + index
                    + " holds " + lowest + ".." + highest);
            lowest = highest + 1; // buckets are contiguous: no value falls between two
        }
        assertEquals(LatencyHistogram.HIGHEST_TRACKABLE_MICROS + 1, lowest);
    }

    @Test
    @Tag("histogram-4")
    void mergingEqualsRecordingIntoOne() {
        Random random = new Random(5);
        long[] samples = samples(() -> (long) Math.exp(random.nextDouble() * 20));
        LatencyHistogram one = histogramOf(samples);
        LatencyHistogram left = histogramOf(Arrays.copyOfRange(samples, 0, 1_000));
        LatencyHistogram right = histogramOf(Arrays.copyOfRange(samples, 1_000, samples.length));
        LatencyHistogram merged = new LatencyHistogram();
        merged.add(left);
        merged.add(right);
        merged.add(new LatencyHistogram()); // an empty one changes nothing, not even min
        assertSameFigures(one, merged);
        assertEquals(1_000, left.count(), "the merged-in histogram is left as it was");
    }

    @Test
    @Tag("histogram-4")
    void concurrentRecordingLosesNoSample() throws InterruptedException {
        int threads = 4;
        int perThread = 250_000;
        LatencyHistogram histogram = new LatencyHistogram();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> recorders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long offset = t;
            recorders.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    // The threads fight over the same buckets.
                    histogram.record(offset + (i % 1000));
                }
            }));
        }
        start.countDown();
        long lastSeen = 0;
        while (recorders.stream().anyMatch(Thread::isAlive)) {
            LatencyHistogram snapshot = histogram.copy(); // read while they record
            assertTrue(snapshot.count() >= lastSeen, "a later copy never counts fewer");
            assertTrue(snapshot.percentile(50) <= snapshot.max(), "p50 above max in a copy");
            lastSeen = snapshot.count();
        }
        for (Thread recorder : recorders) {
            recorder.join();
        }
        assertEquals((long) threads * perThread, histogram.count());
        assertEquals(0, histogram.min());
        assertEquals(threads - 1 + 999, histogram.max());
        double expectedMean = (threads - 1) / 2.0 + 999 / 2.0;
        assertEquals(expectedMean, histogram.mean(), 1e-9, "the sum lost nothing either");
    }

    @Test
    @Tag("histogram-2")
    void rejectsANegativeLatencyAndCountsNothing() {
        LatencyHistogram histogram = new LatencyHistogram();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> histogram.record(-7));
        assertTrue(e.getMessage().contains("-7"), e.getMessage());
        assertEquals(0, histogram.count());
        assertEquals(0, histogram.max());
        assertEquals(0, histogram.min());
        assertEquals(0, histogram.mean());
    }

    @Test
    @Tag("histogram-2")
    void rejectsAPercentileOutsideZeroToHundred() {
        LatencyHistogram histogram = histogramOf(new long[] {5, 6, 7});
        for (double p : new double[] {0, 101, -1, Double.NaN}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> histogram.percentile(p));
            assertTrue(e.getMessage().contains(Double.toString(p)), e.getMessage());
        }
    }

    @Test
    @Tag("histogram-2")
    void anEmptyHistogramAnswersZero() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertEquals(0, histogram.count());
        assertEquals(0, histogram.percentile(50));
        assertEquals(0, histogram.percentile(100));
        assertEquals(0, histogram.max());
        assertEquals(0, histogram.min());
        assertEquals(0, histogram.mean());
    }

    @Test
    @Tag("histogram-2")
    void aValueAboveTheRangeIsClampedButMaxStaysExact() {
        long tenHours = 36_000_000_000L;
        LatencyHistogram histogram = histogramOf(new long[] {100, 200, tenHours});
        assertEquals(3, histogram.count());
        assertEquals(tenHours, histogram.max());
        assertEquals(tenHours, histogram.percentile(100));
        assertEquals(200, histogram.percentile(66));
        assertEquals((100 + 200 + tenHours) / 3.0, histogram.mean());
        // A copy of it, and a merge of it, keep the exact max too.
        LatencyHistogram merged = new LatencyHistogram();
        merged.add(histogram.copy());
        assertEquals(tenHours, merged.percentile(100));
    }

    // --- helpers ------------------------------------------------------------------------------

    private static long[] samples(LongSupplier next) {
        long[] samples = new long[SAMPLES];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = next.getAsLong();
        }
        return samples;
    }

    private static LatencyHistogram histogramOf(long[] samples) {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long sample : samples) {
            histogram.record(sample);
        }
        return histogram;
    }

    private static long[] sorted(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /** Nearest rank: the value at rank ceil(p/100 * n), counted from 1. */
    private static long exactPercentile(long[] sorted, double p) {
        long rank = (long) Math.ceil(p * sorted.length / 100.0);
        return sorted[(int) Math.max(0, rank - 1)];
    }

    private static LatencyHistogram assertWithinOnePercent(long[] samples) {
        LatencyHistogram histogram = histogramOf(samples);
        long[] sorted = sorted(samples);
        for (double p : PERCENTILES) {
            long exact = exactPercentile(sorted, p);
            long reported = histogram.percentile(p);
            String figures = "p" + p + ": reported " + reported + ", exact " + exact;
            assertTrue(reported >= exact, figures);
            assertTrue(reported <= exact * 1.01, figures);
        }
        assertEquals(sorted[sorted.length - 1], histogram.max());
        assertEquals(sorted[0], histogram.min());
        assertEquals(samples.length, histogram.count());
        assertEquals(Arrays.stream(samples).average().orElseThrow(), histogram.mean(), 1e-6);
        return histogram;
    }

    private static void assertSameFigures(LatencyHistogram expected, LatencyHistogram actual) {
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.min(), actual.min());
        assertEquals(expected.max(), actual.max());
        assertEquals(expected.mean(), actual.mean());
        for (double p = 0.1; p <= 100; p += 0.1) {
            assertEquals(expected.percentile(p), actual.percentile(p), "p" + p);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
