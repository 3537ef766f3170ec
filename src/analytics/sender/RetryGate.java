package analytics.sender;

import analytics.retry.Backoff;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether the HTTP senders may send now. OPEN lets every sender through. A failure worth a
 * retry shuts the gate for a backoff wait (at least the target's Retry-After); then ONE
 * request goes alone, as a probe, and its answer decides: the gate opens again, or shuts
 * for a longer wait. A target that is down sees one request per wait, not 128.
 *
 * Pattern: circuit breaker (closed, open, half-open in Nygard's words - here OPEN, WAITING,
 *          PROBING, named after what the senders do) with exponential backoff and jitter.
 * Lesson:  lessons/14-fake-metric-servers.md   Spec: RFC 9110 §10.2.3 (Retry-After)
 * Not here: the wait's length (analytics.retry.Backoff), logging (TargetOutage).
 * Threads: any number of senders; one lock.
 *
 * The probe is also how h2 mode opens its one HTTP/2 connection: java.net.http upgrades to
 * h2c on a first request, so requests sent beside it would each open a connection of their
 * own (see HttpTransport). A gate that starts as "probe first" lets exactly one go.
 */
final class RetryGate {

    private static final Duration FIRST_WAIT = Duration.ofMillis(100);
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);
    /** A Retry-After beyond this is the target's mistake, not a reason to stop for an hour. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    enum State { OPEN, WAITING, PROBING }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Backoff backoff = new Backoff(FIRST_WAIT, MAX_WAIT);
    private State state;
    private long retryAtNanos;

    /** @param probeFirst true: the first request goes alone (h2 mode) */
    RetryGate(boolean probeFirst) {
        this.state = probeFirst ? State.WAITING : State.OPEN;
        this.retryAtNanos = System.nanoTime();
    }

    /** The permission to send one request. */
    enum Pass { FREE, PROBE }

    /**
     * Waits until this sender may send: FREE while the gate is open; PROBE for the one sender
     * that tries after a wait - it must report its answer (or {@link #abandon}).
     */
    Pass enter() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                switch (state) {
                    case OPEN -> {
                        return Pass.FREE;
                    }
                    case WAITING -> {
                        long left = retryAtNanos - System.nanoTime();
                        if (left <= 0) {
                            state = State.PROBING;
                            return Pass.PROBE;
                        }
                        changed.await(left, TimeUnit.NANOSECONDS);
                    }
                    case PROBING -> changed.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The target answered (any answer but "come back later"). */
    void answered(Pass pass) {
        if (pass != Pass.PROBE) {
            return; // only the probe reopens: an old request's answer says little about now
        }
        lock.lock();
        try {
            state = State.OPEN;
            backoff.reset();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A failure worth a retry. The probe's shuts the gate for the next, longer wait; the
     * first failure of an open gate shuts it for the first wait; the failures of requests
     * sent before it shut change nothing - one backoff step per attempt, not per request.
     * {@code retryAfter} (zero when the target gave none) makes the wait at least that long.
     */
    void failed(Pass pass, Duration retryAfter) {
        lock.lock();
        try {
            if (pass == Pass.PROBE || state == State.OPEN) {
                Duration wait = backoff.next();
                retryAtNanos = System.nanoTime() + Math.max(wait.toNanos(), retryAfter.toNanos());
                state = State.WAITING;
                changed.signalAll();
            } else if (state == State.WAITING) {
                retryAtNanos = Math.max(retryAtNanos, System.nanoTime() + retryAfter.toNanos());
            }
        } finally {
            lock.unlock();
        }
    }

    /** The probe found nothing to send: the next sender with a metric probes at once. */
    void abandon(Pass pass) {
        if (pass != Pass.PROBE) {
            return;
        }
        lock.lock();
        try {
            if (state == State.PROBING) {
                state = State.WAITING;
                retryAtNanos = System.nanoTime();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }
}
