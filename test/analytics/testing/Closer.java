package analytics.testing;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Everything one test opened, closed after it, last opened first, even when the test
 * failed. A test holds one as a field marked {@code @AutoClose}, and JUnit closes it
 * after each test (after the {@code @AfterEach} methods).
 *
 * Pattern: scoped cleanup, a try-with-resources that spans a test and its helpers.
 * Lesson:  lessons/01-build-and-test.md
 * Threads: add() may be called from any thread; close() runs on JUnit's.
 */
public final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> opened = new ConcurrentLinkedDeque<>();

    /** Registers {@code resource} to be closed after the test, and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    /**
     * Closes all, in reverse order. A failure does not stop the others; the first one fails
     * the test after all are closed, with the later ones attached as suppressed. An
     * interrupt is passed on only at the end, so it does not cut short the closes after it.
     */
    @Override
    public void close() {
        IllegalStateException failed = null;
        boolean interrupted = false;
        for (AutoCloseable next = opened.poll(); next != null; next = opened.poll()) {
            try {
                next.close();
            } catch (Throwable e) { // an Error too: the resources after it still get closed
                interrupted |= e instanceof InterruptedException;
                if (failed == null) {
                    failed = new IllegalStateException("could not close " + next + " after the test", e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failed != null) {
            throw failed;
        }
    }
}
