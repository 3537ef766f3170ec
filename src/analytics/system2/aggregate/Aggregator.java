package analytics.system2.aggregate;

import analytics.config.Config;
import analytics.model.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * All of System 2's in-memory state: one ServerAggregate per server id, each with windows
 * of 1x, 5x and 10x SYSTEM2_AGG_WINDOW_MS over its last SYSTEM2_BUFFER_SIZE samples.
 *
 * Pattern: a lock per key - a ConcurrentHashMap finds the server without a global lock,
 *          then only that server's lock is taken; eviction retires a state under its lock
 *          before removing it, and a producer that finds it retired looks again.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: persistence (a restart forgets everything; System 1 is the durable design)
 *           and scheduling eviction (the caller runs evictIdle on a timer).
 * Threads: safe from any number of threads.
 */
public final class Aggregator {

    /** The windows as multiples of the base window; the contract fixes 1x, 5x and 10x. */
    private static final int[] WINDOW_MULTIPLES = {1, 5, 10};

    private final ConcurrentHashMap<String, ServerAggregate> servers = new ConcurrentHashMap<>();
    private final long[] windowLengthsMs;
    private final int bufferSize;
    private final long idleEvictMs;
    private final LongSupplier clock;

    /** SYSTEM2_AGG_WINDOW_MS, SYSTEM2_BUFFER_SIZE and SYSTEM2_IDLE_EVICT_MS. */
    public Aggregator(Config.System2 settings) {
        this(settings.aggregationWindow().toMillis(), settings.bufferSize(),
                settings.idleEvict().toMillis(), System::currentTimeMillis);
    }

    /**
     * Without an idle limit of its own: {@code evictIdle(t)} then forgets every server
     * silent since before {@code t}, so a caller passes {@code now - SYSTEM2_IDLE_EVICT_MS}.
     */
    public Aggregator(long baseWindowMs, int bufferSize) {
        this(baseWindowMs, bufferSize, 0, System::currentTimeMillis);
    }

    /** @param clock when a metric arrives, for idleness; tests pass a hand-moved one */
    Aggregator(long baseWindowMs, int bufferSize, long idleEvictMs, LongSupplier clock) {
        if (baseWindowMs <= 0 || bufferSize <= 0 || idleEvictMs < 0) {
            throw new IllegalArgumentException("window " + baseWindowMs + " ms and buffer "
                    + bufferSize + " must be positive, idle limit " + idleEvictMs
                    + " ms not negative");
        }
        this.windowLengthsMs = new long[WINDOW_MULTIPLES.length];
        for (int i = 0; i < WINDOW_MULTIPLES.length; i++) {
            windowLengthsMs[i] = Math.multiplyExact(baseWindowMs, WINDOW_MULTIPLES[i]);
        }
        this.bufferSize = bufferSize;
        this.idleEvictMs = idleEvictMs;
        this.clock = clock;
    }

    /** Adds one validated metric; returns its server's aggregates right after it. */
    public AggregateSnapshot add(Metric metric) {
        String serverId = metric.serverId();
        long now = clock.getAsLong();
        while (true) {
            // computeIfAbsent holds a map bin's lock only to create the state; the metric
            // itself is added under the server's lock, so other servers are never held up.
            ServerAggregate server = servers.computeIfAbsent(serverId,
                    id -> new ServerAggregate(id, bufferSize, windowLengthsMs, now));
            AggregateSnapshot snapshot = server.add(metric, now);
            if (snapshot != null) {
                return snapshot;
            }
            // Eviction retired this state between our lookup and our lock. Help remove it
            // (a no-op if the evictor already has) and start the server afresh.
            servers.remove(serverId, server);
        }
    }

    /** The server's aggregates, or null when it is unknown (never seen, or evicted). */
    public AggregateSnapshot snapshot(String serverId) {
        ServerAggregate server = servers.get(serverId);
        return server == null ? null : server.snapshot();
    }

    /** Every server's aggregates, by server id; each is consistent, the set is not atomic. */
    public List<AggregateSnapshot> snapshots() {
        List<AggregateSnapshot> all = new ArrayList<>(servers.size());
        for (ServerAggregate server : servers.values()) {
            AggregateSnapshot one = server.snapshot();
            if (one != null) {
                all.add(one);
            }
        }
        all.sort(Comparator.comparing(AggregateSnapshot::serverId));
        return all;
    }

    /** Servers held now; a moving figure while producers and eviction run. */
    public int serverCount() {
        return servers.size();
    }

    /** The window lengths in milliseconds, shortest first: the payload's window keys. */
    public List<Long> windowLengthsMs() {
        List<Long> lengths = new ArrayList<>(windowLengthsMs.length);
        for (long length : windowLengthsMs) {
            lengths.add(length);
        }
        return List.copyOf(lengths);
    }

    /**
     * Forgets the servers that sent nothing for longer than the idle limit before
     * {@code nowMillis}; returns how many this call removed. The caller schedules it.
     */
    public int evictIdle(long nowMillis) {
        int evicted = 0;
        // The map's iterators are weakly consistent: no lock, no ConcurrentModificationException.
        for (Map.Entry<String, ServerAggregate> entry : servers.entrySet()) {
            ServerAggregate server = entry.getValue();
            if (server.retireIfIdle(nowMillis, idleEvictMs)
                    && servers.remove(entry.getKey(), server)) {
                evicted++;
            }
        }
        return evicted;
    }
}
