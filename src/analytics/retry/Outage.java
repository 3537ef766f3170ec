package analytics.retry;

import analytics.log.Log;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * One connection's outages, as its reconnect loop lives them: why it is down (what
 * /healthz says), one log line when an outage starts and one when it ends - never one
 * per failed attempt - and the backoff pause between attempts.
 *
 * Pattern: reconnect loop with exponential backoff; an outage is a state, not an event.
 * Lesson:  lessons/11-group-commit-into-redis-streams.md
 * Not here: connecting (the owner's loop) and the wait itself (Backoff).
 * Public because each Redis client of System 1 (ingest, lag, broadcaster, workers) uses one.
 * Threads: down, up and pause on the owner's loop thread only; reason() from any thread.
 */
public final class Outage {

    /** The reason of an owner that has not connected yet. */
    public static final String NOT_CONNECTED_YET = "not connected yet";
    /** The wait after the first failure; it doubles with each further one. */
    static final Duration FIRST_WAIT = Duration.ofMillis(100);
    /** The longest wait: a long outage costs one attempt every 2 s. */
    static final Duration MAX_WAIT = Duration.ofSeconds(2);
    /** A pause wakes this often to see whether its owner stops (StreamWorker never interrupts). */
    static final Duration STEP = Duration.ofMillis(50);

    /** How a pause spends (part of) its time; an owner may do work meanwhile (StreamBatcher). */
    @FunctionalInterface
    public interface Waiter {
        /** Returns within {@code atMost}, earlier if it likes: the pause calls it again. */
        void await(Duration atMost) throws InterruptedException;
    }

    private static final Waiter SLEEP =
            atMost -> Thread.sleep(atMost.compareTo(STEP) < 0 ? atMost : STEP);

    private final Log log;
    private final Log.Level lostLevel;
    private final Log.Level backLevel;
    private final String lostMessage;
    private final String backMessage;
    private final BooleanSupplier stopping;
    private final Backoff backoff;
    /** Why the connection cannot be used now, or null while it is up. */
    private volatile String reason;

    private Outage(Log log, Log.Level lostLevel, Log.Level backLevel, String lostMessage,
                   String backMessage, String reason, BooleanSupplier stopping, Backoff backoff) {
        this.log = log;
        this.lostLevel = lostLevel;
        this.backLevel = backLevel;
        this.lostMessage = lostMessage;
        this.backMessage = backMessage;
        this.reason = reason;
        this.stopping = stopping;
        this.backoff = backoff;
    }

    /**
     * Down ({@link #NOT_CONNECTED_YET}) until the first connect, which logs {@code back}. A
     * failure before it logs nothing: the owner's start line reports the first attempt.
     *
     * @param stopping true once the owner is closing: its failures then are no outage
     */
    public static Outage startingDown(Log log, String lost, String back, BooleanSupplier stopping) {
        return new Outage(log, Log.Level.WARN, Log.Level.INFO, lost, back, NOT_CONNECTED_YET,
                stopping, new Backoff(FIRST_WAIT, MAX_WAIT));
    }

    /** Up until the first failure, which logs {@code lost}; the first connect logs nothing. */
    public static Outage startingUp(Log log, String lost, String back, BooleanSupplier stopping) {
        return new Outage(log, Log.Level.WARN, Log.Level.INFO, lost, back, null, stopping,
                new Backoff(FIRST_WAIT, MAX_WAIT));
    }

    /**
     * This outage logged at DEBUG, to use instead of this one: for an owner whose outages
     * another component already reports (GroupLag beside StreamBatcher).
     */
    public Outage atDebug() {
        return new Outage(log, Log.Level.DEBUG, Log.Level.DEBUG, lostMessage, backMessage, reason,
                stopping, backoff);
    }

    /** The same with another backoff: tests use a long one to catch a pause under way. */
    Outage with(Backoff other) {
        return new Outage(log, lostLevel, backLevel, lostMessage, backMessage, reason, stopping,
                other);
    }

    /** Null while up; else why not (the latest failure's words). */
    public String reason() {
        return reason;
    }

    /**
     * A failed attempt or a lost connection. The first of an outage logs {@code lost} with
     * {@code fields} and the reason; the next ones only replace the reason.
     */
    public void down(String why, Object... fields) {
        if (stopping.getAsBoolean()) {
            return; // the owner is closing: this failure is the stop itself, not an outage
        }
        if (reason == null) {
            log.log(lostLevel, lostMessage, null, withReason(fields, why));
        }
        reason = why;
    }

    /** Connected: the next pause starts short again; if an outage ends, logs {@code back}. */
    public void up(Object... fields) {
        backoff.reset();
        if (reason != null) {
            log.log(backLevel, backMessage, null, fields);
        }
        reason = null;
    }

    /**
     * Sleeps through the next backoff wait. False when it ended early because the owner is
     * stopping or the thread was interrupted (its flag then stays set): time to stop.
     */
    public boolean pause() {
        return pauseFor(backoff.next(), SLEEP);
    }

    /** The next backoff wait, spent in {@code waiter}; false as for pause(). */
    public boolean pause(Waiter waiter) {
        return pauseFor(backoff.next(), waiter);
    }

    /** A wait of a fixed length, for a loop that also waits while up (GroupLag's refresh). */
    public boolean pauseFor(Duration wait) {
        return pauseFor(wait, SLEEP);
    }

    /** The first call of {@code waiter} is offered the whole wait; the next ones what is left. */
    private boolean pauseFor(Duration wait, Waiter waiter) {
        long end = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = end - System.nanoTime()) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            try {
                waiter.await(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopping.getAsBoolean();
    }

    private static Object[] withReason(Object[] fields, String why) {
        Object[] all = Arrays.copyOf(fields, fields.length + 2);
        all[fields.length] = "reason";
        all[fields.length + 1] = why;
        return all;
    }
}
