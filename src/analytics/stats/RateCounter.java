package analytics.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * A counter that also knows its rate: a total that any thread may increment, and the
 * increase over the last whole second, refreshed by whoever calls {@link #sample}.
 *
 * Pattern: LongAdder for hot counters (no contended compare-and-set under many threads)
 *          plus a once-a-second sampler instead of timestamps on every event.
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: increment from any thread; sample from one scheduler thread.
 */
public final class RateCounter {

    private final LongAdder total = new LongAdder();
    private volatile long lastTotal;
    private volatile long perSecond;

    public void increment() {
        total.increment();
    }

    public void add(long n) {
        total.add(n);
    }

    public long total() {
        return total.sum();
    }

    /** The increase during the last sampling second. */
    public long perSecond() {
        return perSecond;
    }

    /** Call once a second. */
    public void sample() {
        long now = total.sum();
        perSecond = now - lastTotal;
        lastTotal = now;
    }
}
