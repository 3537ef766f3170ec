package analytics.loadtest.measure;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits until a moment on the System.nanoTime() clock: when a paced request is due, when a
 * measured window opens or closes. Every load tool here keeps its schedule with it.
 *
 * Pattern: sleep to an absolute time, not for a duration - a loop of "sleep 1 ms" drifts by
 *          every wake-up's lateness; waiting for "start + n x interval" never does, and a
 *          late wake-up is made up by the next one.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Threads: stateless; parks only its caller.
 */
public final class DueTime {

    private DueTime() {
    }

    /** Parks until {@code nanoTime}; returns at once when it has already passed. */
    public static void await(long nanoTime) {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(wait); // may wake early (spurious unpark): wait again
        }
    }
}
