package analytics.http2;

import java.time.Duration;

/**
 * At most {@code maxEvents} events per {@code window}: the budget the connection gives a
 * peer for frames that cost us work but move no request forward (resets, empty frames).
 *
 * A fixed window, not a sliding one: a burst straddling two windows may reach twice the
 * limit, which is fine for telling a flood from a client that cancels now and then.
 *
 * Pattern: rate limit as a small value with an injected clock reading (testable).
 * Lesson:  lessons/17-http2-on-the-wire.md   Spec: RFC 9113 §10.5 (denial-of-service considerations)
 * Threads: the connection's reader thread only.
 */
final class RateLimit {

    private final int maxEvents;
    private final long windowNanos;
    private long windowStart;
    private int events;

    RateLimit(int maxEvents, Duration window) {
        this.maxEvents = maxEvents;
        this.windowNanos = window.toNanos();
    }

    /** Counts one event at {@code nowNanos}; false once the window holds more than the limit. */
    boolean allow(long nowNanos) {
        if (events == 0 || nowNanos - windowStart > windowNanos) {
            windowStart = nowNanos;
            events = 0;
        }
        return ++events <= maxEvents;
    }
}
