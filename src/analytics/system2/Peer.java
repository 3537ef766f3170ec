package analytics.system2;

import analytics.system2.aggregate.AggregateSnapshot;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * What System 2 knows of one connection: its role, which server it follows, and, for a
 * dashboard in tick mode, the updates waiting for the next tick.
 *
 * Pattern: per-connection state carried as the connection's attachment.
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: the record is replaced, never changed, on register; the tick's map is concurrent.
 *
 * @param serverFilter the only server whose updates a dashboard wants; null for all
 * @param tick         null for one message per metric; else the conflation state
 */
record Peer(Role role, String serverFilter, Tick tick) {

    /** Anything but "dashboard" is a producer, as in the original. */
    enum Role {
        PRODUCER, DASHBOARD;

        String wireName() {
            return this == DASHBOARD ? "dashboard" : "producer";
        }

        static Role fromWire(String role) {
            return "dashboard".equals(role) ? DASHBOARD : PRODUCER;
        }
    }

    /** Beyond the original: conflated updates, the latest aggregate per changed server. */
    static final class Tick {
        final long intervalMs;
        final Map<String, AggregateSnapshot> latestByServer = new ConcurrentHashMap<>();
        volatile ScheduledFuture<?> schedule;

        Tick(long intervalMs) {
            this.intervalMs = intervalMs;
        }

        void cancel() {
            ScheduledFuture<?> s = schedule;
            if (s != null) {
                s.cancel(false);
            }
        }
    }

    /** An unregistered connection is a producer. */
    static final Peer UNREGISTERED_PRODUCER = new Peer(Role.PRODUCER, null, null);

    boolean wants(String serverId) {
        return serverFilter == null || serverFilter.equals(serverId);
    }
}
