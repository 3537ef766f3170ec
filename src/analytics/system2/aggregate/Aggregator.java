package analytics.system2.aggregate;

import analytics.model.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * All of System 2's in-memory state: one ServerAggregate per server, with windows of
 * 1x, 5x and 10x the base window (SYSTEM2_AGG_WINDOW_MS) over the last
 * SYSTEM2_BUFFER_SIZE samples of each server.
 *
 * Pattern: lock per key through ConcurrentHashMap.compute - producers for different
 *          servers run in parallel; two for the same server take turns; eviction of an
 *          idle server can never race with a metric arriving for it.
 * Lesson:  lessons/08-ring-buffer-and-sliding-windows.md
 * Not here: persistence - a restart forgets everything (System 1 is the durable design).
 * Threads: safe from any number of threads.
 */
public final class Aggregator {

    /** The windows, as multiples of the base window (the contract: 1x, 5x, 10x). */
    public static final int[] WINDOW_MULTIPLES = {1, 5, 10};

    private final ConcurrentHashMap<String, ServerAggregate> servers = new ConcurrentHashMap<>();
    private final long[] windowLengthsMs;
    private final int bufferSize;
    private final LongSupplier clock;

    public Aggregator(long baseWindowMs, int bufferSize) {
        this(baseWindowMs, bufferSize, System::currentTimeMillis);
    }

    Aggregator(long baseWindowMs, int bufferSize, LongSupplier clock) {
        if (baseWindowMs <= 0 || bufferSize <= 0) {
            throw new IllegalArgumentException("window and buffer size must be positive");
        }
        this.windowLengthsMs = new long[WINDOW_MULTIPLES.length];
        for (int i = 0; i < WINDOW_MULTIPLES.length; i++) {
            windowLengthsMs[i] = baseWindowMs * WINDOW_MULTIPLES[i];
        }
        this.bufferSize = bufferSize;
        this.clock = clock;
    }

    /** Adds one validated metric and returns the server's aggregates right after it. */
    public AggregateSnapshot add(Metric metric) {
        AggregateSnapshot[] result = new AggregateSnapshot[1];
        servers.compute(metric.serverId(), (id, aggregate) -> {
            ServerAggregate target = aggregate != null
                    ? aggregate : new ServerAggregate(id, bufferSize, windowLengthsMs);
            target.add(metric, clock.getAsLong());
            result[0] = target.snapshot();
            return target;
        });
        return result[0];
    }

    /** The server's aggregates, or null when it is unknown (never seen, or evicted). */
    public AggregateSnapshot snapshot(String serverId) {
        AggregateSnapshot[] result = new AggregateSnapshot[1];
        servers.computeIfPresent(serverId, (id, aggregate) -> {
            result[0] = aggregate.snapshot();
            return aggregate;
        });
        return result[0];
    }

    /** Every server's aggregates, in no particular order. */
    public List<AggregateSnapshot> snapshots() {
        List<AggregateSnapshot> all = new ArrayList<>(servers.size());
        for (String serverId : servers.keySet()) {
            AggregateSnapshot one = snapshot(serverId);
            if (one != null) {
                all.add(one);
            }
        }
        return all;
    }

    public int serverCount() {
        return servers.size();
    }

    /** Forgets servers not updated since {@code cutoffMillis}; returns how many. */
    public int evictIdle(long cutoffMillis) {
        int[] evicted = {0};
        for (String serverId : servers.keySet()) {
            servers.computeIfPresent(serverId, (id, aggregate) -> {
                if (aggregate.lastUpdateMillis() < cutoffMillis) {
                    evicted[0]++;
                    return null;
                }
                return aggregate;
            });
        }
        return evicted[0];
    }
}
