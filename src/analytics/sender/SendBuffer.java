package analytics.sender;

import analytics.model.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The metrics a transport has not delivered yet, oldest first, up to a fixed number. The
 * schedule adds every new metric; the senders take the oldest; a metric that could not be
 * delivered goes back, and being older than those made since, it is taken again first. When
 * the buffer is full the OLDEST metric is dropped to make room, counted and logged.
 *
 * Pattern: bounded buffer with a drop-oldest overflow policy - Telegraf's metric buffer
 *          (metric_buffer_limit) does the same.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: when to retry (RetryGate, ProducerConnection), what to log (TargetOutage: the
 *           first overflow of each outage).
 * Threads: add from the timer thread, take and put back from the senders' threads; one lock.
 *
 * Why the oldest: a monitoring system wants the present; a sample from a minute ago is worth
 * less than one from now, and when an outage outlasts the buffer what survives is
 * the most recent stretch, with no hole in it.
 *
 * "Oldest" is by the metric's timestamp, not by arrival: 128 HTTP senders fail at once and
 * put their metrics back in any order, and a queue ordered by arrival would then hold an
 * old metric behind newer ones and drop the wrong ones. A heap ordered by timestamp is
 * right whatever the order of the put-backs, at O(log n) per metric (10,000: 14 steps).
 * Metrics of one server have increasing timestamps, so its order survives too.
 */
final class SendBuffer {

    private final String name;
    private final int capacity;
    private final SenderStats stats;
    private final TargetOutage outage;
    private final PriorityQueue<Metric> metrics =
            new PriorityQueue<>(Comparator.comparingLong(Metric::timestamp));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    /** @param outage told of every overflow: it logs the first of each outage */
    SendBuffer(String name, int capacity, SenderStats stats, TargetOutage outage) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a send buffer holds at least 1 metric, not " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
        this.stats = stats;
        this.outage = outage;
    }

    /** A new metric; never blocks: when full, the oldest makes room. */
    void add(Metric metric) {
        int dropped;
        lock.lock();
        try {
            metrics.add(metric);
            dropped = dropOldestBeyondCapacity();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        overflowed(dropped);
    }

    /**
     * Metrics that were taken but not delivered, back in the buffer: older than those made
     * since, they are taken again first. Beyond the capacity the oldest of all go.
     */
    void putBack(List<Metric> undelivered) {
        if (undelivered.isEmpty()) {
            return;
        }
        int dropped;
        lock.lock();
        try {
            metrics.addAll(undelivered);
            dropped = dropOldestBeyondCapacity();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        overflowed(dropped);
    }

    /**
     * Up to {@code max} metrics, oldest first; waits up to {@code wait} for the
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
                taken.add(metrics.poll());
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

    /** Caller holds the lock; returns how many went. */
    private int dropOldestBeyondCapacity() {
        int dropped = 0;
        while (metrics.size() > capacity) {
            metrics.poll();
            dropped++;
        }
        return dropped;
    }

    /** Outside the lock: the outage takes its own, and asks this buffer's size under it. */
    private void overflowed(int dropped) {
        if (dropped > 0) {
            stats.dropped(dropped);
            outage.overflowed(name, capacity);
        }
    }
}
