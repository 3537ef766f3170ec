package analytics.loadtest;

/**
 * One connected client of HttpRateBench, whatever protocol it speaks: given the requests it
 * owes, it sends each when due and reports each answer, then closes itself.
 *
 * Pattern: strategy - the schedule and the report (HttpRateBench, PacedRequests) are
 *          written once; each protocol brings only its wire.
 * Lesson:  lessons/07-backpressure-and-fan-out.md
 * Not here: connecting (each implementation's static connect, before the schedule starts).
 * Threads: start() once; close() from any thread.
 */
sealed interface BenchConnection extends AutoCloseable
        permits Http1BenchConnection, Http2BenchConnection {

    /**
     * Starts working through {@code requests}. The returned thread ends when the connection
     * owes nothing more - every request answered or counted as failed - and joining it
     * makes everything recorded in {@code requests} visible.
     */
    Thread start(PacedRequests requests);

    /** Stops at once; what is still unanswered counts as failed. Idempotent. */
    @Override
    void close();
}
