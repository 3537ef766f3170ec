package analytics.system2.aggregate;

import java.util.Arrays;

/**
 * One sliding window over a SampleRing - "the samples whose timestamp lies within
 * {@code lengthMs} before the newest" - kept as running sums, so adding a sample costs
 * O(1) amortized instead of a scan of the whole ring (what the original did, for every
 * window, on every metric).
 *
 * The window is the run of samples from {@code startSeq} to the newest. A new sample is
 * added to the sums; then the start moves forward past samples now older than the cutoff,
 * subtracting each. Every sample enters once and leaves once: amortized O(1).
 *
 * Out-of-order samples: a sample older than the cutoff when it arrives is never counted
 * (the {@code counted} flag remembers that, so it is not subtracted later). The start stops
 * at the first sample inside the window, so an old sample behind a newer one leaves only
 * when the start passes it. For timestamps in order this is exactly the original's filter
 * {@code timestamp >= newest - lengthMs}.
 *
 * Floating point: a long chain of additions and subtractions drifts; the sums are
 * recomputed from the ring after every {@code capacity} subtractions (still O(1) amortized).
 *
 * Pattern: sliding-window aggregate with running sums (two pointers over a ring).
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Threads: not thread-safe; guarded with its ServerAggregate.
 */
final class WindowSums {

    private final long lengthMs;
    private final SampleRing ring;
    private final boolean[] counted;  // per ring slot: is that sample in these sums?
    private final double[] sums = new double[SampleRing.FIELDS.length];
    private int samples;
    private long startSeq;
    private int subtractionsSinceRecompute;

    WindowSums(long lengthMs, SampleRing ring) {
        this.lengthMs = lengthMs;
        this.ring = ring;
        this.counted = new boolean[ring.capacity()];
    }

    long lengthMs() {
        return lengthMs;
    }

    int samples() {
        return samples;
    }

    /** The average of one field; only meaningful when {@link #samples()} is above 0. */
    double average(int field) {
        return sums[field] / samples;
    }

    /** Call before the ring overwrites its oldest sample: it leaves this window too. */
    void beforeEviction(long evictedSeq) {
        if (startSeq <= evictedSeq) {
            remove(evictedSeq);
            startSeq = evictedSeq + 1;
        }
    }

    /** Call after the ring stored sample {@code seq}; {@code newest} is the largest timestamp seen. */
    void afterAdd(long seq, long newest) {
        long cutoff = newest - lengthMs;
        boolean inside = ring.timestamp(seq) >= cutoff;
        counted[ring.slot(seq)] = inside;
        if (inside) {
            for (int f = 0; f < sums.length; f++) {
                sums[f] += ring.value(f, seq);
            }
            samples++;
        }
        long end = ring.nextSeq();
        while (startSeq < end && ring.timestamp(startSeq) < cutoff) {
            remove(startSeq);
            startSeq++;
        }
        if (subtractionsSinceRecompute >= ring.capacity()) {
            recompute();
        }
    }

    private void remove(long seq) {
        int slot = ring.slot(seq);
        if (!counted[slot]) {
            return;
        }
        counted[slot] = false;
        for (int f = 0; f < sums.length; f++) {
            sums[f] -= ring.value(f, seq);
        }
        samples--;
        subtractionsSinceRecompute++;
    }

    /** Sums again from the ring: undoes floating-point drift, costs one pass of the window. */
    private void recompute() {
        Arrays.fill(sums, 0);
        for (long seq = startSeq; seq < ring.nextSeq(); seq++) {
            if (counted[ring.slot(seq)]) {
                for (int f = 0; f < sums.length; f++) {
                    sums[f] += ring.value(f, seq);
                }
            }
        }
        subtractionsSinceRecompute = 0;
    }
}
