package analytics.system1.ingest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admission control for ingest: counts the metrics admitted and still waiting for Redis,
 * and admits a request only while fewer than SYSTEM1_MAX_PENDING_WRITES are waiting. A
 * refused request is answered 503 at once instead of queueing, so overload costs refusals,
 * not memory and seconds of latency for everyone.
 *
 * Pattern: load shedding with a non-blocking semaphore - a counter checked and raised in one
 *          atomic step, never waited on. Why count metrics, not requests: a batch of 500 is
 *          500 XADDs of Redis work and 500 metrics in memory. Why admit "while below the
 *          limit" and then add the whole request: a batch larger than the limit must still
 *          get in sometime (it cannot be split, being all or nothing), and refusing until
 *          it fits exactly would starve it under steady traffic. So the count may pass the
 *          limit by one request, at most one batch (the 256 KiB body holds fewer than 4,000
 *          metrics); single metrics are held to the limit exactly: with 5 waiting and a
 *          limit of 5, the 6th is refused.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md
 * Not here: answering (IngestHandler); the batcher's own queue, which stays bounded too
 *           (StreamBatcher.DEFAULT_QUEUE_CAPACITY jobs) as a second line.
 * Threads: any thread; lock-free.
 */
final class PendingWrites {

    private final int limit;
    private final AtomicLong waiting = new AtomicLong();
    private final LongAdder shed = new LongAdder();

    PendingWrites(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Admits {@code metrics} when fewer than the limit are waiting, and counts them as
     * waiting; the caller must {@link #release} them once Redis has answered or failed.
     * A refusal is counted as shed.
     */
    boolean tryAdmit(int metrics) {
        long before = waiting.getAndUpdate(now -> now < limit ? now + metrics : now);
        if (before < limit) {
            return true;
        }
        shed.increment();
        return false;
    }

    void release(int metrics) {
        waiting.addAndGet(-metrics);
    }

    /**
     * A look before any work: true when a request would be refused now. Read before the
     * body, so a refused request costs its head only; tryAdmit still decides.
     */
    boolean full() {
        return waiting.get() >= limit;
    }

    /** Counts a request refused by {@link #full} before tryAdmit was reached. */
    void countShed() {
        shed.increment();
    }

    /** Metrics admitted and not yet answered. */
    long waiting() {
        return waiting.get();
    }

    int limit() {
        return limit;
    }

    /** Requests refused because the limit was reached. */
    long shed() {
        return shed.sum();
    }

    /** The reason a refused client reads: what is full, and the setting that says how full. */
    String refusal() {
        return "ingest overloaded: " + waiting.get() + " metrics waiting for Redis"
                + " (SYSTEM1_MAX_PENDING_WRITES " + limit + ")";
    }
}
