package analytics.loadtest.measure;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, counted in a fixed set of log-linear buckets (HdrHistogram's
 * layout, written small): percentiles within 1 % of the exact ones, in 26 KiB, for any run.
 *
 * Pattern: fixed-memory log-linear histogram; lock-free recording with one atomic per bucket.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: what is measured, or from when (the driver's schedule: latency counts from the
 *           planned send); resetting or per-second windows (record into a fresh histogram).
 * Threads: record() and add() from any number of threads, without locks; reading while others
 *          record sees each sample either whole or not at all in count and percentiles - read
 *          from copy() when several figures must agree with each other.
 */
public final class LatencyHistogram {

    // Why fixed memory: keeping every sample, as the old exact recorder did, costs 8 bytes per
    // request. A run at 10,000 requests/s for an hour keeps 36 million samples (288 MB, and a
    // sort at the end); a histogram costs the same 26 KiB for one second or one day.
    //
    // Why log-linear: a latency's error should be relative. A fixed 1 ms bucket is useless at
    // 200 µs and needlessly fine at 30 s. Powers of two alone (1, 2, 4, 8 ...) are off by up
    // to 50 %. So each power-of-two range [2^e, 2^(e+1)) is cut into the same number of
    // linear sub-buckets: the bucket width grows with the value, and width / value stays
    // under 1 / SUB_BUCKET_COUNT from microseconds to minutes.
    //
    // Why 128 sub-buckets: a bucket [2^e, 2^(e+1)) is 2^e wide, so its sub-buckets are
    // 2^e / 128 wide, and any value v in it is at least 2^e: reporting the bucket's highest
    // value is off by less than 2^e / 128 / 2^e = 1/128 = 0.78 %, under the 1 % promised.
    // 64 sub-buckets would give 1.56 % (too much); 256 would give 0.39 % for twice the memory.
    static final int SUB_BUCKET_BITS = 7;
    static final int SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS; // 128

    /**
     * The largest value with a bucket of its own: 2^32 - 1 µs = 71.6 minutes, over the hour
     * the longest run needs. Above it a value is clamped into the top bucket; max() stays exact.
     */
    static final long HIGHEST_TRACKABLE_MICROS = (1L << 32) - 1;

    /** Buckets: 0..255 hold one value each, then 128 per power of two up to 2^31: 3,328. */
    static final int BUCKET_COUNT = indexOf(HIGHEST_TRACKABLE_MICROS) + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKET_COUNT);
    private final AtomicLong sum = new AtomicLong();
    private final AtomicLong max = new AtomicLong(0);
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);

    public LatencyHistogram() {
    }

    /** Counts one latency of {@code micros} microseconds; negative is a caller's bug. */
    public void record(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("latency must be >= 0 µs, was " + micros);
        }
        raiseMax(micros);
        lowerMin(micros);
        sum.addAndGet(micros);
        // Counted last: a reader that sees this sample in a bucket also sees it in max and min.
        counts.incrementAndGet(indexOf(Math.min(micros, HIGHEST_TRACKABLE_MICROS)));
    }

    /** Adds every sample of {@code other}: as if they had been recorded here too. */
    public void add(LatencyHistogram other) {
        LatencyHistogram snapshot = other.copy();
        if (snapshot.count() == 0) {
            return;
        }
        raiseMax(snapshot.max.get());
        lowerMin(snapshot.min.get());
        sum.addAndGet(snapshot.sum.get());
        for (int i = 0; i < BUCKET_COUNT; i++) {
            long n = snapshot.counts.get(i);
            if (n != 0) {
                counts.addAndGet(i, n);
            }
        }
    }

    /**
     * A snapshot to read while others still record (the driver's p99 so far, every second).
     * Buckets are read first, then sum, max and min: every sample the copy counts is in its
     * max and min; its mean may include a few samples still being recorded.
     */
    public LatencyHistogram copy() {
        LatencyHistogram copy = new LatencyHistogram();
        for (int i = 0; i < BUCKET_COUNT; i++) {
            copy.counts.set(i, counts.get(i));
        }
        copy.sum.set(sum.get());
        copy.max.set(max.get());
        copy.min.set(min.get());
        return copy;
    }

    /** Samples recorded; a sum over the buckets, so it always agrees with the percentiles. */
    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKET_COUNT; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The largest sample, exact (also above HIGHEST_TRACKABLE_MICROS); 0 when empty. */
    public long max() {
        return max.get();
    }

    /** The smallest sample, exact; 0 when empty. */
    public long min() {
        long smallest = min.get();
        return smallest == Long.MAX_VALUE ? 0 : smallest;
    }

    /** The exact arithmetic mean in µs; 0 when empty. */
    public double mean() {
        long n = count();
        return n == 0 ? 0 : (double) sum.get() / n;
    }

    /**
     * The p-th percentile by the nearest-rank method: the smallest recorded value with at
     * least p % of the samples at or below it, reported as the highest value its bucket can
     * hold (and never above max()). So the answer is never better than the truth and at most
     * 0.78 % worse - for latency, erring high is the honest side. p = 100 is max(), exact.
     * 0 when empty.
     */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) { // also rejects NaN
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total / 100.0));
        if (rank >= total) {
            return max();
        }
        long seen = 0;
        for (int i = 0; i < BUCKET_COUNT; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(highestValueIn(i), max());
            }
        }
        return max(); // not reached: counts only grow, so seen reaches total
    }

    // --- The bucket layout ------------------------------------------------------------------
    //
    // For v < 2 * SUB_BUCKET_COUNT the index is v itself: one value per bucket, exact.
    // Above, with e = floor(log2 v) and shift = e - SUB_BUCKET_BITS, the bucket is
    // v >>> shift (one of 128 values in [128, 256): the top 8 bits of v) after shift * 128
    // buckets of the ranges below. Every range gets 128 buckets, each 2^shift wide.

    /** The bucket of a value in [0, HIGHEST_TRACKABLE_MICROS]. */
    static int indexOf(long value) {
        int e = 63 - Long.numberOfLeadingZeros(value | 1);
        int shift = Math.max(0, e - SUB_BUCKET_BITS);
        return (shift << SUB_BUCKET_BITS) + (int) (value >>> shift);
    }

    /** The highest value bucket {@code index} holds (the inverse of indexOf). */
    static long highestValueIn(int index) {
        if (index < 2 * SUB_BUCKET_COUNT) {
            return index;
        }
        int shift = (index >>> SUB_BUCKET_BITS) - 1;
        long top = index - ((long) shift << SUB_BUCKET_BITS); // in [128, 256)
        return ((top + 1) << shift) - 1;
    }

    private void raiseMax(long value) {
        // Read first, write only when higher: most samples change nothing and stay off the
        // cache line's write path (accumulateAndGet would write every time).
        for (long current = max.get(); value > current; current = max.get()) {
            if (max.compareAndSet(current, value)) {
                return;
            }
        }
    }

    private void lowerMin(long value) {
        for (long current = min.get(); value < current; current = min.get()) {
            if (min.compareAndSet(current, value)) {
                return;
            }
        }
    }
}
