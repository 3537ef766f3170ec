package analytics.sender;

import analytics.log.Log;
import java.net.URI;
import java.util.EnumSet;
import java.util.function.IntSupplier;

/**
 * An outage of the target as the senders live it: one warning when a kind of failure first
 * shows in it - with its cause and the metrics buffered and dropped so far - and one line
 * when it is over, which is when as many metrics as were waiting when the target answered
 * again have been answered: the backlog has been re-sent.
 *
 * Pattern: an outage is a state, not an event (as analytics.retry.Outage is for System 1's
 *          Redis clients), with the kinds of failure kept apart: "unreachable" and then
 *          "503" are two lines, a thousand refused connections one.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Not here: waiting and retrying (RetryGate, ProducerConnection), keeping the metrics
 *           (SendBuffer).
 * Threads: any thread (HTTP answers complete on many); the lock is taken on a failure, on
 *          the first answer after one and when the backlog is gone - never while all is well.
 */
final class TargetOutage {

    private static final Log LOG = Log.get("sender");

    /** The kinds of failure that are worth a retry, each with its own warning. */
    enum Failure {
        /** Connection refused or reset, no route: nothing is listening, or it went away. */
        UNREACHABLE("target unreachable; buffering"),
        /** No answer within the request (or handshake) timeout. */
        TIMEOUT("target did not answer in time; buffering"),
        /** 503 or 429: the target says it cannot take metrics now, and when to come back. */
        UNAVAILABLE("target unavailable; buffering until it takes metrics again"),
        /** Another 5xx: the target failed; perhaps it will not next time. */
        SERVER_ERROR("target failed; buffering"),
        /** A WebSocket that was up broke; what it had not acknowledged goes back to the buffer. */
        DISCONNECTED("connection lost; reconnecting, unacknowledged metrics buffered");

        final String message;

        Failure(String message) {
            this.message = message;
        }
    }

    private enum State { UP, DOWN, DRAINING }

    private final URI target;
    private final SenderStats stats;
    private final IntSupplier waiting;
    private volatile State state = State.UP;
    private final EnumSet<Failure> seen = EnumSet.noneOf(Failure.class);
    /** A buffer overflowed since the last recovery (or the start): logged once. */
    private volatile boolean overflowLogged;
    private long downSinceNanos;
    private long upAgainNanos;
    /** Drops since the last recovery (or the start) belong to the next outage's account. */
    private long droppedBefore;
    /** Waiting when the target answered again, and the answers counted until then. */
    private long backlog;
    private long answeredBefore;

    /**
     * @param waiting the metrics buffered for this target now, and those sent and not yet
     *                answered: the outage is over when both are gone
     */
    TargetOutage(URI target, SenderStats stats, IntSupplier waiting) {
        this.target = target;
        this.stats = stats;
        this.waiting = waiting;
    }

    /** True from the first failure until the next answer. */
    boolean isDown() {
        return state == State.DOWN;
    }

    /**
     * A failure worth a retry. The first of the outage starts it; the first of each kind
     * logs a warning. A failure while the backlog is still being re-sent belongs to the same
     * outage: nothing is logged twice when a target flaps.
     */
    synchronized void failed(Failure kind, String cause) {
        if (state == State.UP) {
            downSinceNanos = System.nanoTime();
            seen.clear();
        }
        state = State.DOWN;
        if (seen.add(kind)) {
            LOG.warn(kind.message, "target", target.toString(), "reason", cause,
                    "buffered", waiting.getAsInt(), "dropped", stats.droppedTotal() - droppedBefore);
        }
    }

    /**
     * A full buffer dropped its oldest. The first time since the last recovery is logged -
     * during an outage, or while a target that answers is too slow for what is made.
     */
    void overflowed(String buffer, int capacity) {
        if (overflowLogged) {
            return;
        }
        synchronized (this) {
            if (!overflowLogged) {
                overflowLogged = true;
                LOG.warn("buffer full: dropping the oldest metrics", "buffer", buffer, "capacity", capacity,
                        "target", target.toString(),
                        "reason", "more metrics waiting than FAKE_BUFFER_SIZE allows");
            }
        }
    }

    /**
     * The target answered, about {@code inThisAnswer} metrics no longer counted as waiting:
     * an outage turns into re-sending its backlog.
     */
    void answered(int inThisAnswer) {
        if (state != State.DOWN) {
            return;
        }
        synchronized (this) {
            if (state == State.DOWN) {
                state = State.DRAINING;
                upAgainNanos = System.nanoTime();
                backlog = waiting.getAsInt() + inThisAnswer;
                answeredBefore = answeredTotal();
            }
        }
        delivered();
    }

    /**
     * Called after each answer: once as many metrics as were waiting when the target came
     * back have been answered, the backlog is re-sent (the buffer gives the oldest first)
     * and the outage is over. Not "when the buffer is empty": under steady load something
     * is always in flight.
     */
    void delivered() {
        if (state != State.DRAINING || answeredTotal() - answeredBefore < backlog) {
            return;
        }
        synchronized (this) {
            if (state != State.DRAINING) {
                return;
            }
            state = State.UP;
            long now = System.nanoTime();
            LOG.info("target recovered; buffered metrics re-sent", "target", target.toString(),
                    "downSeconds", tenths(upAgainNanos - downSinceNanos), "resent", backlog,
                    "resendSeconds", tenths(now - upAgainNanos),
                    "dropped", stats.droppedTotal() - droppedBefore);
            droppedBefore = stats.droppedTotal();
            overflowLogged = false;
        }
    }

    private long answeredTotal() {
        return stats.ackedTotal() + stats.rejectedTotal();
    }

    private static double tenths(long nanos) {
        return Math.round(nanos / 100_000_000.0) / 10.0;
    }
}
