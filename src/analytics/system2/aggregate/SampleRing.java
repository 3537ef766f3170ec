package analytics.system2.aggregate;

import analytics.model.Metric;

/**
 * The last {@code capacity} samples of one server in arrival order, the oldest
 * overwritten first.
 *
 * Samples are numbered by arrival with a {@code long} sequence that never wraps (2^63
 * samples); sample {@code seq} lives in slot {@code seq % capacity}. The ring holds the
 * sequence numbers {@code [oldestSeq, nextSeq)}, so a window needs no slot arithmetic of
 * its own and cannot confuse "empty" with "full" - the classic ring-buffer trap when only
 * a head and a tail index are kept.
 *
 * Pattern: circular buffer in flat primitive arrays - no object per sample, so no garbage
 *          per metric and constant memory per server whatever the traffic.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: windows and their sums (SlidingWindow); locking (ServerAggregate).
 * Threads: not thread-safe; used only under its ServerAggregate's lock.
 */
final class SampleRing {

    private final int capacity;
    private final long[] timestamps;
    /** One sample's five gauges side by side: {@code values[slot * Gauge.COUNT + gauge]}. */
    private final double[] values;
    /**
     * Larger gauges are stored as this: a full ring of them still sums to a finite
     * double. The validator lets any finite network figure through, and two of 1e308
     * would otherwise add up to Infinity, which JSON cannot carry.
     */
    private final double maxValue;
    private long nextSeq;

    SampleRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.timestamps = new long[capacity];
        this.values = new double[Math.multiplyExact(capacity, Gauge.COUNT)];
        this.maxValue = Double.MAX_VALUE / (2.0 * capacity);
    }

    int capacity() {
        return capacity;
    }

    /** The sequence number of the oldest sample still held (0 until the ring is full). */
    long oldestSeq() {
        return Math.max(0, nextSeq - capacity);
    }

    /** The number the next sample will get: one past the newest. */
    long nextSeq() {
        return nextSeq;
    }

    int size() {
        return (int) Math.min(nextSeq, capacity);
    }

    /** True when the next {@link #add} overwrites sample {@link #oldestSeq()}. */
    boolean isFull() {
        return nextSeq >= capacity;
    }

    /** Stores the metric, overwriting the oldest sample when full; returns its number. */
    long add(Metric metric) {
        long seq = nextSeq;
        int slot = (int) (seq % capacity);
        timestamps[slot] = metric.timestamp();
        int base = slot * Gauge.COUNT;
        for (Gauge gauge : Gauge.ALL) {
            values[base + gauge.ordinal()] = Math.min(gauge.of(metric), maxValue);
        }
        nextSeq++;
        return seq;
    }

    long timestamp(long seq) {
        return timestamps[slot(seq)];
    }

    double value(long seq, Gauge gauge) {
        return values[slot(seq) * Gauge.COUNT + gauge.ordinal()];
    }

    /**
     * Where sample {@code seq} lives, for arrays kept beside the ring (a window's flags).
     * Asking for an overwritten or future sample is a bug in the caller, not bad input.
     */
    int slot(long seq) {
        if (seq < oldestSeq() || seq >= nextSeq) {
            throw new IndexOutOfBoundsException("sample " + seq + " is not in the ring ["
                    + oldestSeq() + ", " + nextSeq + ")");
        }
        return (int) (seq % capacity);
    }
}
