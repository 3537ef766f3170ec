package analytics.sender;

import analytics.model.Metric;

/**
 * One way of getting metrics to a system: HTTP POSTs (HTTP/1.1 or HTTP/2) or producer
 * messages over a few shared WebSockets. Thousands of simulated servers share one
 * transport; none of them owns a socket.
 *
 * Pattern: strategy - the schedule and the generator do not know the wire.
 * Lesson:  lessons/14-fake-metric-servers.md
 * Threads: send from the schedule's one timer thread; it must never block that thread.
 */
sealed interface MetricTransport extends AutoCloseable permits HttpTransport, WebSocketTransport,
        ShardedTransport {

    /**
     * Hands over one metric and returns at once. A metric that cannot go now (target down,
     * too many in flight) waits in the transport's SendBuffer and goes when it can, oldest
     * first; only a full buffer drops, and it drops the oldest.
     */
    void send(Metric metric);

    /** Connections up now, for the once-a-second summary line. */
    int connectionsUp();

    /** Metrics waiting in the buffers now, for the same line. */
    int buffered();

    /** Stops sending; WebSockets close with 1000 (normal closure). */
    @Override
    void close();
}
