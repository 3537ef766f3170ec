package analytics.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next reconnect attempt: doubling from {@code first} up to
 * {@code max}, each wait drawn at random from its upper half, back to {@code first} after
 * a success.
 *
 * Pattern: exponential backoff with jitter - a restarted Redis is not hit by every client
 *          at the same instant, and a long outage costs one attempt per {@code max}.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md
 * Not here: the waiting itself (the caller decides how, so it can do work meanwhile).
 * Public because the fake senders (analytics.sender) reconnect the same way.
 * Threads: one owner thread; not thread-safe.
 */
public final class Backoff {

    private final long firstMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(Duration first, Duration max) {
        this.firstMillis = Math.max(1, first.toMillis());
        this.maxMillis = Math.max(firstMillis, max.toMillis());
        this.nextMillis = firstMillis;
    }

    /** The wait before the next attempt; each call doubles the one after, up to the max. */
    public Duration next() {
        long ceiling = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        // "Equal jitter": half fixed, half random - never 0, never above the ceiling.
        long wait = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Duration.ofMillis(Math.max(1, wait));
    }

    public void reset() {
        nextMillis = firstMillis;
    }
}
