package analytics.system2.aggregate;

import analytics.model.Metric;
import java.util.List;

/**
 * The five figures of a metric that System 2 averages, in the order of the contract's
 * {@code averages} object; the ordinal is the figure's lane in every per-sample array.
 *
 * Pattern: enum as a typed index - {@code values[slot * COUNT + Gauge.DISK.ordinal()]}
 *          says which figure it reads, where a bare {@code 2} would not.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: a sender's extra numeric fields; the contract averages only these five.
 * Threads: immutable.
 */
enum Gauge {
    CPU, MEMORY, DISK, NETWORK_IN, NETWORK_OUT;

    /** values() clones its array on every call; this list is built once. */
    static final List<Gauge> ALL = List.of(values());
    static final int COUNT = ALL.size();

    /** A missing {@code network} reads as 0 in and out (the contract; see Metric). */
    double of(Metric metric) {
        return switch (this) {
            case CPU -> metric.cpu();
            case MEMORY -> metric.memory();
            case DISK -> metric.disk();
            case NETWORK_IN -> metric.networkIn();
            case NETWORK_OUT -> metric.networkOut();
        };
    }
}
