package analytics.sender;

import analytics.log.Log;
import analytics.stats.RateCounter;
import java.util.function.IntSupplier;

/**
 * What the senders did: metrics sent (written to the wire), acknowledged (202, or
 * metric.ack) and failed, per second and in total, and how many connections are up - one
 * log line a second, and a final one at the end.
 *
 * Pattern: counters on the hot path, one reader that turns them into rates once a second
 *          (the same RateCounter the systems use for their own figures).
 * Lesson:  lessons/14-fake-metric-servers.md
 * Threads: count from any thread; sample and log from one timer thread.
 *
 * Failed counts a metric that never left (target down, in-flight bound or outbox full)
 * and one the target refused (not 202, or an error message). A sent metric with neither
 * answer is still in flight, or was lost with its connection: a WebSocket that breaks takes
 * its unanswered metrics with it, and they are not retried (the next tick sends a fresher
 * one).
 */
public final class SenderStats {

    private static final Log LOG = Log.get("sender");

    private final RateCounter sent = new RateCounter();
    private final RateCounter acked = new RateCounter();
    private final RateCounter failed = new RateCounter();
    private volatile IntSupplier connections = () -> 0;

    void sent() {
        sent.increment();
    }

    void acked() {
        acked.increment();
    }

    void failed() {
        failed.increment();
    }

    void failed(int n) {
        failed.add(n);
    }

    void observe(IntSupplier connectionsUp) {
        this.connections = connectionsUp;
    }

    public long sentTotal() {
        return sent.total();
    }

    public long ackedTotal() {
        return acked.total();
    }

    public long failedTotal() {
        return failed.total();
    }

    public int connectionsUp() {
        return connections.getAsInt();
    }

    /** Once a second: refresh the rates and print them. */
    void sampleAndLog() {
        sent.sample();
        acked.sample();
        failed.sample();
        LOG.info("sending",
                "sentPerSecond", sent.perSecond(), "ackedPerSecond", acked.perSecond(),
                "failedPerSecond", failed.perSecond(),
                "sent", sent.total(), "acked", acked.total(), "failed", failed.total(),
                "connections", connectionsUp());
    }

    void logFinal() {
        LOG.info("stopped", "sent", sent.total(), "acked", acked.total(), "failed", failed.total());
    }
}
