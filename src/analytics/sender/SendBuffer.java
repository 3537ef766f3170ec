package analytics.sender;

import analytics.log.Log;
import analytics.model.Metric;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The metrics a transport has not delivered yet, oldest first, up to a fixed number. The
 * schedule adds every new metric at the tail; the senders take from the head; a metric that
 * could not be delivered goes back to the head, still before the newer ones. When the
 * buffer is full the OLDEST metric is dropped to make room, counted and logged.
 *
 * Pattern: bounded buffer with a drop-oldest overflow policy - Telegraf's metric buffer
 *          (metric_buffer_limit) does the same.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: when to retry (RetryGate, ProducerConnection), what to log about the target
 *           (TargetOutage).
 * Threads: add from the timer thread, take and put back from the senders' threads; one lock.
 *
 * Why the oldest: a monitoring system wants the present; a sample from a minute ago is worth
 * less than one from now, and when an outage outlasts the buffer the tail that survives is
 * the most recent stretch, with no hole in it.
 */
final class SendBuffer {

    private static final Log LOG = Log.get("sender");

    private final String name;
    private final int capacity;
    private final SenderStats stats;
    private final ArrayDeque<Metric> metrics = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    /** Dropping since the buffer was last empty: the overflow is logged once, not per metric. */
    private boolean overflowing;

    SendBuffer(String name, int capacity, SenderStats stats) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a send buffer holds at least 1 metric, not " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        this.stats = stats;
    }

    /** A new metric, at the tail; never blocks: when full, the oldest makes room. */
    void add(Metric metric) {
        lock.lock();
        try {
            metrics.addLast(metric);
            dropOldestBeyondCapacity();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Metrics that were taken but not delivered, back at the head in their order: they are
     * older than everything still here. Beyond the capacity the oldest of all go.
     */
    void putBack(List<Metric> undelivered) {
        if (undelivered.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (int i = undelivered.size() - 1; i >= 0; i--) {
                metrics.addFirst(undelivered.get(i));
            }
            dropOldestBeyondCapacity();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code max} metrics from the head, oldest first; waits up to {@code wait} for the
     * first one and returns an empty list when none came.
     */
    List<Metric> take(int max, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (metrics.isEmpty()) {
                if (nanos <= 0) {
                    return List.of();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            List<Metric> taken = new ArrayList<>(Math.min(max, metrics.size()));
            while (taken.size() < max && !metrics.isEmpty()) {
                taken.add(metrics.pollFirst());
            }
            if (metrics.isEmpty()) {
                overflowing = false;
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** One metric, or null when none came within {@code wait}. */
    Metric takeOne(Duration wait) throws InterruptedException {
        List<Metric> one = take(1, wait);
        return one.isEmpty() ? null : one.getFirst();
    }

    int size() {
        lock.lock();
        try {
            return metrics.size();
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }

    /** Caller holds the lock. */
    private void dropOldestBeyondCapacity() {
        int dropped = 0;
        while (metrics.size() > capacity) {
            metrics.pollFirst();
            dropped++;
        }
        if (dropped == 0) {
            return;
        }
        stats.dropped(dropped);
        if (!overflowing) {
            overflowing = true;
            // Once per overflow: the status line counts every drop after this one.
            LOG.warn("buffer full: dropping the oldest metrics", "buffer", name, "capacity", capacity,
                    "reason", "more metrics waiting than FAKE_BUFFER_SIZE allows");
        }
    }
}
