package analytics.system2.aggregate;

import analytics.model.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything System 2 remembers about one server - its ring of recent samples and a
 * SlidingWindow per window length - behind that server's own lock.
 *
 * Pattern: monitor object (state and the lock that guards it in one class) with a
 *          "retired" flag, so a producer never writes into a state that eviction dropped.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: finding a server by id, creating it, and what to do when it is retired
 *           (Aggregator).
 * Threads: every method takes this server's lock, so producers of one server take turns
 *          and producers of different servers never wait for each other.
 */
final class ServerAggregate {

    private final String serverId;
    /**
     * A ReentrantLock, not synchronized: producers run on virtual threads, and on Java 21 a
     * virtual thread blocked entering a synchronized block pins its carrier (platform)
     * thread; JEP 491 lifts that in JDK 24. A lock never pins.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final SampleRing ring;
    private final List<SlidingWindow> windows;
    private long newestTimestamp = Long.MIN_VALUE;
    private long lastSeenMillis;
    private boolean retired;

    ServerAggregate(String serverId, int bufferSize, long[] windowLengthsMs, long nowMillis) {
        this.serverId = serverId;
        this.ring = new SampleRing(bufferSize);
        List<SlidingWindow> byLength = new ArrayList<>(windowLengthsMs.length);
        for (long length : windowLengthsMs) {
            byLength.add(new SlidingWindow(length, ring));
        }
        this.windows = List.copyOf(byLength);
        this.lastSeenMillis = nowMillis;
    }

    /**
     * Adds the metric and returns the aggregates right after it, taken under the same lock
     * hold, so no other producer's sample can slip in between. Null when this state was
     * retired by eviction: the caller must look the server up again.
     */
    AggregateSnapshot add(Metric metric, long nowMillis) {
        lock.lock();
        try {
            if (retired) {
                return null;
            }
            if (ring.isFull()) {
                long leaving = ring.oldestSeq();
                for (SlidingWindow window : windows) {
                    window.beforeOverwrite(leaving);
                }
            }
            long seq = ring.add(metric);
            newestTimestamp = Math.max(newestTimestamp, metric.timestamp());
            for (SlidingWindow window : windows) {
                window.afterAdd(seq, newestTimestamp);
            }
            lastSeenMillis = nowMillis;
            return snapshotLocked();
        } finally {
            lock.unlock();
        }
    }

    /** The aggregates now, or null when retired (as if the server were unknown). */
    AggregateSnapshot snapshot() {
        lock.lock();
        try {
            return retired ? null : snapshotLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retires this state if no metric arrived for longer than {@code idleMs} before
     * {@code nowMillis}. True if it is retired, by this call or an earlier one: a retired
     * state accepts nothing ever again, so it is safe to drop from the map.
     */
    boolean retireIfIdle(long nowMillis, long idleMs) {
        lock.lock();
        try {
            if (!retired && nowMillis - lastSeenMillis > idleMs) {
                retired = true;
            }
            return retired;
        } finally {
            lock.unlock();
        }
    }

    private AggregateSnapshot snapshotLocked() {
        List<AggregateSnapshot.Window> figures = new ArrayList<>(windows.size());
        for (SlidingWindow window : windows) {
            figures.add(window.snapshot());
        }
        return new AggregateSnapshot(serverId, newestTimestamp, figures);
    }
}
