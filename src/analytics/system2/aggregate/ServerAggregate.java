package analytics.system2.aggregate;

import analytics.model.Metric;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything System 2 remembers about one server: its ring of recent samples and one
 * set of running sums per window length.
 *
 * Pattern: aggregate root - one object owns the state of one key and keeps it consistent.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Threads: not thread-safe; the Aggregator only calls it inside ConcurrentHashMap.compute
 *          for its key, which serialises callers.
 */
final class ServerAggregate {

    private final String serverId;
    private final SampleRing ring;
    private final List<WindowSums> windows = new ArrayList<>();
    private long newestTimestamp = Long.MIN_VALUE;
    private long lastUpdateMillis;

    ServerAggregate(String serverId, int bufferSize, long[] windowLengthsMs) {
        this.serverId = serverId;
        this.ring = new SampleRing(bufferSize);
        for (long length : windowLengthsMs) {
            windows.add(new WindowSums(length, ring));
        }
    }

    void add(Metric metric, long nowMillis) {
        if (ring.isFull()) {
            long evicted = ring.oldestSeq();
            windows.forEach(window -> window.beforeEviction(evicted));
        }
        long seq = ring.nextSeq();
        ring.add(metric);
        newestTimestamp = Math.max(newestTimestamp, metric.timestamp());
        for (WindowSums window : windows) {
            window.afterAdd(seq, newestTimestamp);
        }
        lastUpdateMillis = nowMillis;
    }

    long lastUpdateMillis() {
        return lastUpdateMillis;
    }

    AggregateSnapshot snapshot() {
        List<AggregateSnapshot.Window> figures = new ArrayList<>(windows.size());
        for (WindowSums window : windows) {
            double[] averages = null;
            if (window.samples() > 0) {
                averages = new double[SampleRing.FIELDS.length];
                for (int f = 0; f < averages.length; f++) {
                    averages[f] = window.average(f);
                }
            }
            figures.add(new AggregateSnapshot.Window(window.lengthMs(), window.samples(), averages));
        }
        return new AggregateSnapshot(serverId, newestTimestamp, figures);
    }
}
