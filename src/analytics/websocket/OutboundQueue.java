package analytics.websocket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The frames waiting to be written to one peer, bounded in bytes, with a named policy for
 * a peer that reads slower than we produce.
 *
 * Slow-consumer policy "drop, then disconnect": while the queue is over its byte budget,
 * new data frames are dropped (and counted) instead of queued, so memory stays bounded and
 * no sender ever waits; a peer that stays over budget for the whole grace period is
 * closed with 1008 by its connection. Control frames (pong, close) are never dropped.
 *
 * Pattern: bounded queue + backpressure policy; producers never block on a slow reader.
 * Lesson:  lessons/07-backpressure-and-fan-out.md
 * Not here: conflation (latest update per key); System 2's tick mode conflates upstream.
 * Threads: any number of producers; one consumer at a time (the connection's writer, which
 *          runs only while frames wait: WebSocketConnection.wakeWriter).
 */
final class OutboundQueue {

    /** What {@link #offer} did with a frame. */
    enum Offer { QUEUED, DROPPED, CLOSED }

    private final long maxBytes;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private long queuedBytes;
    private long dropped;
    /** When the queue last went over budget; -1 while it is under. */
    private long overBudgetSince = -1;
    private boolean closed;

    OutboundQueue(long maxBytes, LongSupplier nanoClock) {
        this.maxBytes = maxBytes;
        this.nanoClock = nanoClock;
    }

    /** A data frame: queued if within budget, otherwise dropped and counted. */
    Offer offer(byte[] frame) {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (queuedBytes > 0 && queuedBytes + frame.length > maxBytes) {
                dropped++;
                if (overBudgetSince < 0) {
                    overBudgetSince = nanoClock.getAsLong();
                }
                return Offer.DROPPED;
            }
            add(frame);
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** A control frame: always queued (it is at most 127 bytes), unless the queue is closed. */
    boolean offerControl(byte[] frame) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            add(frame);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the close frame as the last frame ever; frames after it are refused (§5.5.1:
     * no data after a close). With {@code discardPending} the frames still waiting go too,
     * so a slow peer learns why it is closed without first reading its whole backlog.
     */
    boolean offerLast(byte[] closeFrame, boolean discardPending) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (discardPending) {
                frames.clear();
                queuedBytes = 0;
            }
            add(closeFrame);
            closed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for frames and takes them all (the writer sends them with one flush). */
    List<byte[]> takeAll(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long nanos = unit.toNanos(timeout);
            while (frames.isEmpty()) {
                if (nanos <= 0) {
                    return List.of();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            List<byte[]> batch = new ArrayList<>(frames);
            frames.clear();
            queuedBytes = 0;
            overBudgetSince = -1;
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** True once the queue has been over budget for at least {@code graceNanos}. */
    boolean overBudgetLongerThan(long graceNanos) {
        lock.lock();
        try {
            return overBudgetSince >= 0 && nanoClock.getAsLong() - overBudgetSince >= graceNanos;
        } finally {
            lock.unlock();
        }
    }

    /** True when a frame waits to be written: the writer is started on demand (WebSocketConnection). */
    boolean hasFrames() {
        lock.lock();
        try {
            return !frames.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** True when nothing will ever be taken again: closed and drained. */
    boolean isFinished() {
        lock.lock();
        try {
            return closed && frames.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    private void add(byte[] frame) {
        frames.add(frame);
        queuedBytes += frame.length;
        notEmpty.signal();
    }
}
