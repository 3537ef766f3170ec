package analytics.system2;

import analytics.system2.aggregate.AggregateSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * One registered System 2 dashboard: the server it follows and, in tick mode, the latest
 * aggregate per server held for the next tick. System2Fanout keeps one per connection in
 * its own map, so nobody reads it back from the connection and casts.
 *
 * Pattern: per-connection state in the application's own typed map; what never changes
 *          is final, what does is said to.
 * Lesson:  lessons/09-system2-fan-out.md
 * Threads: the filter and the interval are final (registering again makes a new System2Dashboard);
 *          producers' threads hold updates while the timer takes them, through a concurrent
 *          map; the tick schedule is set once, before the dashboard joins the fan-out.
 */
final class System2Dashboard {

    private final String serverFilter;
    private final long tickIntervalMs;
    private final Map<String, AggregateSnapshot> held = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> ticks;

    /**
     * @param serverFilter   the only server whose updates it wants; null for all
     * @param tickIntervalMs 0 for one message per update; else the conflation interval
     */
    System2Dashboard(String serverFilter, long tickIntervalMs) {
        this.serverFilter = serverFilter;
        this.tickIntervalMs = tickIntervalMs;
    }

    boolean wants(String serverId) {
        return serverFilter == null || serverFilter.equals(serverId);
    }

    /** Beyond the original: updates conflated into one message per interval. */
    boolean ticks() {
        return tickIntervalMs > 0;
    }

    long tickIntervalMs() {
        return tickIntervalMs;
    }

    /** Tick mode: keeps the latest aggregate of its server, replacing an older one. */
    void hold(AggregateSnapshot aggregate) {
        held.put(aggregate.serverId(), aggregate);
    }

    /** Takes every held aggregate; empty when nothing changed since the last tick. */
    List<AggregateSnapshot> takeHeld() {
        List<AggregateSnapshot> taken = new ArrayList<>();
        for (String serverId : held.keySet()) {
            // remove() takes the value atomically: a hold() after it waits for the next tick
            AggregateSnapshot latest = held.remove(serverId);
            if (latest != null) {
                taken.add(latest);
            }
        }
        return taken;
    }

    void startTicks(ScheduledFuture<?> schedule) {
        ticks = schedule;
    }

    void stopTicks() {
        ScheduledFuture<?> schedule = ticks;
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
