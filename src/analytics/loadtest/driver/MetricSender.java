package analytics.loadtest.driver;

import java.io.IOException;
import java.time.Duration;

/**
 * One way of getting a metric into a system and knowing it was accepted: over HTTP/1.1,
 * over HTTP/2, or over WebSocket. The load models (OpenLoad, ClosedLoad) only know this
 * interface, so every transport is measured by the very same clock and counting.
 *
 * Pattern: strategy - the measurement is written once; the transport is plugged in.
 * Lesson:  lessons/19-load-testing-done-right.md
 * Not here: when to send (the load models); what the metric says (MetricPayload).
 * Threads: send() is called from many virtual threads at once and blocks only its caller.
 */
interface MetricSender extends AutoCloseable {

    /**
     * A request answered past its deadline is a timeout, but it is left to finish until this
     * much after its deadline: cancelling it would close its connection (java.net.http does),
     * and under overload every late metric would then cost a new connection - the driver
     * would turn a slow server into a dead one.
     */
    Duration ABANDON = Duration.ofSeconds(10);

    /** Connects (an HTTP/2 sender also checks that the server switched to h2). */
    void open() throws IOException, InterruptedException;

    /**
     * Sends metric {@code seq} stamped {@code timestampMillis} and waits for its answer, at
     * the latest until {@code deadlineNanos} (System.nanoTime()), then it is a timeout. A
     * connection that is busy makes the caller wait its turn: that wait is part of the
     * latency the server's slowness causes, and it comes out of the same deadline - a
     * metric never waits longer than the timeout in all.
     */
    Outcome send(long seq, long timestampMillis, long deadlineNanos) throws InterruptedException;

    /**
     * How many metrics it can have in flight at once: the open model runs this many lanes.
     * HTTP/1.1: one per connection; HTTP/2: streams per connection times connections.
     */
    int lanes();

    /** "http/1.1", "h2" or "websocket": the CSV's transport column. */
    String transport();

    /** How many connections carry the metrics. */
    int connections();

    @Override
    void close();
}
