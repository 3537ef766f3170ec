package analytics.loadtest;

import java.util.Arrays;

/**
 * Keeps every latency sample of a run (a few hundred thousand longs is a few MB) and
 * answers exact percentiles by sorting once at the end.
 *
 * Pattern: exact percentiles for a bounded run; a long soak would use a histogram
 *          (HdrHistogram) with fixed memory instead.
 * Lesson:  lessons/07-backpressure-and-fan-out.md
 * Threads: one recorder per thread; merge them at the end.
 */
final class LatencyRecorder {

    private long[] samples = new long[1024];
    private int count;

    void record(long value) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = value;
    }

    int count() {
        return count;
    }

    void addAll(LatencyRecorder other) {
        for (int i = 0; i < other.count; i++) {
            record(other.samples[i]);
        }
    }

    /** The p-th percentile (0-100) by the nearest-rank method; 0 when empty. */
    long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }
}
