package analytics.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something another thread will make true, with a deadline that fails the test
 * instead of hanging it: "the slow peer is closed by the policy" within 15 s.
 *
 * Pattern: poll with an upper bound - never a bare sleep that guesses how long a thing takes.
 * Lesson:  lessons/01-build-and-test.md
 * Threads: the test's own.
 */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline.toMillis() + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}
