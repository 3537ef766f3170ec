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
     * How long past its deadline a metric already sent is still waited for. Its answer, if
     * it comes, is counted with its true latency: the server did accept it, and a latency
     * above the timeout is a fact worth showing. Cancelling it at the deadline would also
     * close its connection (java.net.http does), and under overload every late metric would
     * then cost a new connection - the driver would turn a slow server into a dead one.
     */
    Duration ABANDON = Duration.ofSeconds(10);

    /** Connects (an HTTP/2 sender also checks that the server switched to h2). */
    void open() throws IOException, InterruptedException;

    /**
     * Sends metric {@code seq} stamped {@code timestampMillis} and waits for its answer, at
     * the latest until {@code deadlineNanos} (System.nanoTime()) plus ABANDON; then it is a
     * timeout. A metric not sent by its deadline is not sent at all (the load models check).
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
