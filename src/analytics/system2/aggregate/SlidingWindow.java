package analytics.system2.aggregate;

/**
 * One window over a server's SampleRing - "the samples whose timestamp lies within
 * {@code lengthMs} before the newest" - kept as running sums, so a metric costs O(1)
 * amortized instead of a scan of the whole ring per window, as in the original.
 *
 * Pattern: sliding window with running sums - two pointers over a ring, every sample
 *          added once and subtracted once.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: the newest timestamp and the order of calls (ServerAggregate drives both).
 * Threads: not thread-safe; used only under its ServerAggregate's lock.
 *
 * <p>Membership. The window is the samples from {@code start} to the newest, in arrival
 * order, that passed the filter {@code timestamp >= newest - lengthMs} when they arrived.
 * The boundary is inclusive, as in the original: a sample exactly {@code lengthMs} older
 * than the newest is inside. "Newest" is the largest timestamp this server has sent, so the
 * cutoff never moves back and {@code start} only moves forward. With timestamps in order
 * this is exactly the original's filter over the ring.
 *
 * <p>Out of order. A late sample already older than the cutoff when it arrives is never
 * counted (its flag in {@code counted} stays false). A late sample inside the cutoff is
 * counted, and is judged by its own timestamp only when {@code start} reaches it, that is
 * once every sample that arrived before it has left (by age, or overwritten in the ring).
 * Until then it may stay a little past its time: the price of O(1), since an exact answer
 * needs the samples ordered by timestamp (a sorted structure, O(log n) per metric).
 *
 * <p>Drift. The sums are compensated (CompensatedSums) and are rebuilt from the ring after
 * every {@code capacity} removals, so the error depends on the last few thousand
 * operations, never on how long the process has run. A rebuild scans at most
 * {@code capacity} samples once per {@code capacity} removals: still O(1) amortized.
 */
final class SlidingWindow {

    private final long lengthMs;
    private final SampleRing ring;
    /** Per ring slot: is the sample there in the sums? Never true before {@code start}. */
    private final boolean[] counted;
    private final CompensatedSums sums = new CompensatedSums(Gauge.COUNT);
    private int samples;
    /** The oldest sample that may still be counted; all before it have left the window. */
    private long start;
    private int removalsSinceRebuild;

    SlidingWindow(long lengthMs, SampleRing ring) {
        if (lengthMs <= 0) {
            throw new IllegalArgumentException("window length must be positive, got " + lengthMs);
        }
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

    /** Call before the ring overwrites sample {@code seq}: it leaves this window too. */
    void beforeOverwrite(long seq) {
        // start can only be at the oldest sample or past it; if it is there, step over.
        if (start == seq) {
            remove(seq);
            start++;
        }
    }

    /** Call after the ring stored sample {@code seq}; {@code newest} is the largest timestamp. */
    void afterAdd(long seq, long newest) {
        long cutoff = newest - lengthMs;
        boolean inside = ring.timestamp(seq) >= cutoff;
        counted[ring.slot(seq)] = inside;
        if (inside) {
            for (Gauge gauge : Gauge.ALL) {
                sums.add(gauge.ordinal(), ring.value(seq, gauge));
            }
            samples++;
        }
        // A sample at start that is inside the cutoff was counted on arrival (the cutoff only
        // grows), so stopping there leaves no uncounted sample at the front of the window.
        while (start < ring.nextSeq() && ring.timestamp(start) < cutoff) {
            remove(start);
            start++;
        }
        if (samples == 0) {
            sums.clear(); // an empty window's sums are exactly zero: free drift correction
            removalsSinceRebuild = 0;
        } else if (removalsSinceRebuild >= ring.capacity()) {
            rebuild();
        }
    }

    /** This window's figures now; averages are null when it holds no sample. */
    AggregateSnapshot.Window snapshot() {
        if (samples == 0) {
            return new AggregateSnapshot.Window(lengthMs, 0, null);
        }
        return new AggregateSnapshot.Window(lengthMs, samples, new AggregateSnapshot.Averages(
                average(Gauge.CPU), average(Gauge.MEMORY), average(Gauge.DISK),
                average(Gauge.NETWORK_IN), average(Gauge.NETWORK_OUT)));
    }

    private double average(Gauge gauge) {
        return sums.value(gauge.ordinal()) / samples;
    }

    private void remove(long seq) {
        int slot = ring.slot(seq);
        if (!counted[slot]) {
            return; // arrived too late to be counted, so there is nothing to subtract
        }
        counted[slot] = false;
        for (Gauge gauge : Gauge.ALL) {
            sums.subtract(gauge.ordinal(), ring.value(seq, gauge));
        }
        samples--;
        removalsSinceRebuild++;
    }

    /** Sums the counted samples again from the ring, forgetting every past rounding. */
    private void rebuild() {
        sums.clear();
        for (long seq = start; seq < ring.nextSeq(); seq++) {
            if (counted[ring.slot(seq)]) {
                for (Gauge gauge : Gauge.ALL) {
                    sums.add(gauge.ordinal(), ring.value(seq, gauge));
                }
            }
        }
        removalsSinceRebuild = 0;
    }
}
