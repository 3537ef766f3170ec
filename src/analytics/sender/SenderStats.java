package analytics.sender;

import analytics.log.Log;
import analytics.stats.RateCounter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * What the senders did: metrics sent (written to the wire, each attempt), acknowledged (202,
 * or metric.ack), retried (an attempt failed and the metric went back to the buffer),
 * dropped (the oldest, from a full buffer) and rejected (4xx or an error message: never
 * resent), how many wait in the buffers and how many connections are up - one log line a
 * second, and a final one at the end.
 *
 * Pattern: counters on the hot path, one reader that turns them into rates once a second
 *          (the same RateCounter the systems use for their own figures).
 * Lesson:  lessons/14-fake-metric-servers.md
 * Threads: count from any thread; sample and log from one timer thread.
 *
 * Every metric made ends acknowledged, rejected or dropped, or still waits (buffered, or
 * sent and not yet answered): nothing goes without a count. A metric delivered but whose
 * answer was lost (a timeout, a WebSocket broken before its ack) is sent again, so the
 * target may count it twice - at least once, never silently lost.
 */
public final class SenderStats {

    private static final Log LOG = Log.get("sender");
    /** Rejections are logged once per kind (status or message); beyond that, only counted. */
    private static final int MAX_REJECTION_KINDS_LOGGED = 20;

    private final RateCounter sent = new RateCounter();
    private final RateCounter acked = new RateCounter();
    private final RateCounter retried = new RateCounter();
    private final RateCounter dropped = new RateCounter();
    private final RateCounter rejected = new RateCounter();
    private final Set<String> rejectionsLogged = ConcurrentHashMap.newKeySet();
    private volatile IntSupplier connections = () -> 0;
    private volatile IntSupplier buffered = () -> 0;

    void sent() {
        sent.increment();
    }

    void sent(int n) {
        sent.add(n);
    }

    void acked() {
        acked.increment();
    }

    void acked(int n) {
        acked.add(n);
    }

    void retried(int n) {
        retried.add(n);
    }

    void dropped(int n) {
        dropped.add(n);
    }

    /**
     * The target refused {@code n} metrics for good. The first refusal of each kind is
     * logged with the target's words; the rest are counted.
     */
    void rejected(int n, String kind, String reason) {
        rejected.add(n);
        if (rejectionsLogged.size() < MAX_REJECTION_KINDS_LOGGED && rejectionsLogged.add(kind)) {
            LOG.warn("target rejected metrics; not retrying them", "kind", kind, "reason", reason);
        }
    }

    void observe(IntSupplier connectionsUp, IntSupplier metricsBuffered) {
        this.connections = connectionsUp;
        this.buffered = metricsBuffered;
    }

    public long sentTotal() {
        return sent.total();
    }

    public long ackedTotal() {
        return acked.total();
    }

    public long retriedTotal() {
        return retried.total();
    }

    public long droppedTotal() {
        return dropped.total();
    }

    public long rejectedTotal() {
        return rejected.total();
    }

    /** Metrics waiting in the buffers now (not those sent and still unanswered). */
    public int buffered() {
        return buffered.getAsInt();
    }

    public int connectionsUp() {
        return connections.getAsInt();
    }

    /** Once a second: refresh the rates and print them. */
    void sampleAndLog() {
        sent.sample();
        acked.sample();
        retried.sample();
        dropped.sample();
        rejected.sample();
        LOG.info("sending",
                "sentPerSecond", sent.perSecond(), "ackedPerSecond", acked.perSecond(),
                "sent", sent.total(), "acked", acked.total(), "buffered", buffered(),
                "retried", retried.total(), "dropped", dropped.total(), "rejected", rejected.total(),
                "connections", connectionsUp());
    }

    /** At the end: what is still buffered was never sent (a real agent would flush it first). */
    void logFinal() {
        LOG.info("stopped", "sent", sent.total(), "acked", acked.total(), "retried", retried.total(),
                "dropped", dropped.total(), "rejected", rejected.total(), "unsent", buffered());
    }
}
