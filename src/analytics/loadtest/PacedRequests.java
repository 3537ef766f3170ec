package analytics.loadtest;

import analytics.loadtest.measure.LatencyHistogram;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests one connection of HttpRateBench owes, and what became of them: request n is
 * due at {@code first + n * interval}, carries a fresh metric, and is counted by when it was
 * DUE - a request that left late, or waited for a free stream, carries its wait in its
 * latency; one never sent because its connection broke counts as refused, not as nothing.
 *
 * Pattern: open-loop schedule with latency from the planned time (no coordinated omission);
 *          the schedule does not know the wire - each BenchConnection brings its protocol.
 * Lesson:  lessons/07-backpressure-and-fan-out.md
 * Not here: sockets and protocols (Http1BenchConnection, Http2BenchConnection).
 * Threads: answered() from one thread per connection; failed() and abandonFrom() from any;
 *          read the results after joining that thread.
 */
final class PacedRequests {

    /** The contract's answer to an accepted metric (docs: POST /metrics, 202). */
    static final int ACCEPTED = 202;

    private final String serverId;
    private final long first;
    private final double interval;
    private final long measureFrom;
    private final long measureTo;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param first       System.nanoTime() at which request 0 is due
     * @param interval    nanoseconds between two requests of this connection
     * @param measureFrom requests due before this are warm-up: sent, never counted
     * @param measureTo   the first due time the run no longer owes
     */
    PacedRequests(String serverId, long first, double interval, long measureFrom, long measureTo) {
        this.serverId = serverId;
        this.first = first;
        this.interval = interval;
        this.measureFrom = measureFrom;
        this.measureTo = measureTo;
    }

    /** When request {@code seq} is due, on the System.nanoTime() clock. */
    long due(long seq) {
        return first + (long) (seq * interval);
    }

    /** True once {@code due} is past the end of the run: nothing from here on is owed. */
    boolean isOver(long due) {
        return due >= measureTo;
    }

    /** A valid metric of the contract with the current time, as the JSON body of request seq. */
    byte[] body(long seq) {
        double wave = (seq % 100) / 100.0;
        return ("{\"serverId\":\"" + serverId + "\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"metrics\":{\"cpu\":" + (20 + 60 * wave) + ",\"memory\":" + (40 + 20 * wave)
                + ",\"disk\":70.5,\"network\":{\"in\":" + (seq % 1000) + ",\"out\":" + (seq % 700)
                + "}}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The answer to the request due at {@code due} has just arrived with {@code status}. */
    void answered(long due, int status) {
        long now = System.nanoTime();
        if (due < measureFrom) {
            return; // warm-up
        }
        if (status == ACCEPTED) {
            latencies.record((now - due) / 1000);
            accepted.incrementAndGet();
        } else {
            refused.incrementAndGet();
        }
    }

    /** The request due at {@code due} was sent but will get no answer (reset, connection lost). */
    void failed(long due) {
        if (due >= measureFrom && !isOver(due)) {
            refused.incrementAndGet();
        }
    }

    /** The connection broke before sending request {@code seq}: it and all after it are refused. */
    void abandonFrom(long seq) {
        for (long n = seq; !isOver(due(n)); n++) { // bounded: due(n) grows with n
            failed(due(n));
        }
    }

    long accepted() {
        return accepted.get();
    }

    long refused() {
        return refused.get();
    }

    LatencyHistogram latencies() {
        return latencies;
    }
}
