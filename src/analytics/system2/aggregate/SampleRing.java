package analytics.system2.aggregate;

import analytics.model.Metric;

/**
 * The last {@code capacity} samples of one server, oldest overwritten first. Samples are
 * numbered by arrival (a sequence that never wraps); sample {@code seq} lives in slot
 * {@code seq % capacity}, so "the oldest retained sample" is simply {@code count - size}.
 *
 * Pattern: circular buffer in parallel primitive arrays - no object per sample, no
 *          garbage, constant memory per server whatever the traffic.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: window sums (WindowSums) and locking (Aggregator).
 * Threads: not thread-safe; its ServerAggregate is only touched under the map's lock.
 */
final class SampleRing {

    /** The gauges a window averages, in this order: the contract's averages object. */
    static final String[] FIELDS = {"cpu", "memory", "disk", "networkIn", "networkOut"};

    private final int capacity;
    private final long[] timestamps;
    private final double[][] values; // values[field][slot]
    private long count;              // samples ever added; the next sample's sequence number

    SampleRing(int capacity) {
        this.capacity = capacity;
        this.timestamps = new long[capacity];
        this.values = new double[FIELDS.length][capacity];
    }

    int capacity() {
        return capacity;
    }

    /** Sequence number of the oldest sample still held. */
    long oldestSeq() {
        return Math.max(0, count - capacity);
    }

    /** Sequence number the next sample will get; also one past the newest. */
    long nextSeq() {
        return count;
    }

    boolean isFull() {
        return count >= capacity;
    }

    /** Stores the sample as number {@link #nextSeq()}, overwriting the oldest when full. */
    void add(Metric metric) {
        int slot = slot(count);
        timestamps[slot] = metric.timestamp();
        values[0][slot] = metric.cpu();
        values[1][slot] = metric.memory();
        values[2][slot] = metric.disk();
        values[3][slot] = metric.networkIn();
        values[4][slot] = metric.networkOut();
        count++;
    }

    long timestamp(long seq) {
        return timestamps[slot(seq)];
    }

    double value(int field, long seq) {
        return values[field][slot(seq)];
    }

    int slot(long seq) {
        return (int) (seq % capacity);
    }
}
