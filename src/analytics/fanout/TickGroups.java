package analytics.fanout;

import analytics.stats.RateCounter;
import analytics.websocket.WebSocketConnection;
import com.eclipsesource.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Every tick dashboard of a system, grouped by what it asked for: dashboards with the same
 * interval and filter are one TickGroup, so ten dashboards following the fleet every 250 ms
 * cost one map write per metric and one encoding per tick, not ten of each. A group's
 * timer starts with its first member and stops with its last.
 *
 * Pattern: share the work of readers who want the same thing (a group per distinct
 *          request); routing table rebuilt on the rare change, read without locks on the
 *          hot path (copy-on-write).
 * Lesson:  lessons/07-backpressure-and-fan-out.md   Spec: the contract's tick mode rows
 * Not here: dashboards that want one message per metric (each system's fan-out); the
 *           slow-consumer policy (each member's OutboundQueue).
 * Threads: place() and leave() on dashboards' reader threads, under one lock; hold() from
 *          any publishing thread, lock-free; ticks run on the scheduler.
 */
public final class TickGroups<V> {

    /** Where hold() looks: the groups following every server, and the groups per server. */
    private record Routing<V>(List<TickGroup<V>> fleet, Map<String, List<TickGroup<V>>> byServer) {
    }

    private final ScheduledExecutorService scheduler;
    private final Function<V, JsonValue> toJson;
    private final RateCounter delivered;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Subscription, TickGroup<V>> groups = new HashMap<>(); // under lock
    private final Map<WebSocketConnection, TickGroup<V>> memberships = new ConcurrentHashMap<>();
    private volatile Routing<V> routing = new Routing<>(List.of(), Map.of());

    /**
     * @param scheduler runs every group's ticks; cancelled ticks should leave its queue
     *                  (ScheduledThreadPoolExecutor.setRemoveOnCancelPolicy)
     * @param toJson    one held value as an element of the tick's payload; null skips it
     * @param delivered counts one per tick queued on one member
     */
    public TickGroups(ScheduledExecutorService scheduler, Function<V, JsonValue> toJson,
                      RateCounter delivered) {
        this.scheduler = scheduler;
        this.toJson = toJson;
        this.delivered = delivered;
    }

    /**
     * Puts the dashboard in the group of its subscription - made, with its timer, if it is
     * the first member - and out of any group it was in. A subscription without tick mode
     * only takes it out.
     */
    public void place(WebSocketConnection dashboard, Subscription subscription) {
        if (!subscription.ticks()) {
            leave(dashboard);
            return;
        }
        lock.lock();
        try {
            TickGroup<V> current = memberships.get(dashboard);
            if (current != null && current.subscription().equals(subscription)) {
                return; // the same request again: same group, same timer
            }
            removeMember(dashboard);
            TickGroup<V> group = groups.computeIfAbsent(subscription, this::startGroup);
            group.members().add(dashboard);
            memberships.put(dashboard, group);
            routing = routingOf(groups.values());
        } finally {
            lock.unlock();
        }
    }

    /** The dashboard closed or wants no ticks any more; its group stops if it was the last. */
    public void leave(WebSocketConnection dashboard) {
        if (!memberships.containsKey(dashboard)) {
            return; // most dashboards never tick: no lock for them
        }
        lock.lock();
        try {
            removeMember(dashboard);
            routing = routingOf(groups.values());
        } finally {
            lock.unlock();
        }
    }

    /** One metric's latest value, held by every group that follows its server. */
    public void hold(String serverId, V latest) {
        Routing<V> now = routing;
        for (TickGroup<V> group : now.fleet()) {
            group.hold(serverId, latest);
        }
        List<TickGroup<V>> following = now.byServer().get(serverId);
        if (following != null) {
            for (TickGroup<V> group : following) {
                group.hold(serverId, latest);
            }
        }
    }

    /** Groups with a running timer: one per distinct (interval, filter) among tick dashboards. */
    public int groupCount() {
        lock.lock();
        try {
            return groups.size();
        } finally {
            lock.unlock();
        }
    }

    /** Dashboards in tick mode, all groups together. */
    public int memberCount() {
        return memberships.size();
    }

    private TickGroup<V> startGroup(Subscription subscription) {
        TickGroup<V> group = new TickGroup<>(subscription);
        long interval = subscription.tickIntervalMs();
        group.startTicks(scheduler.scheduleAtFixedRate(() -> group.flush(toJson, delivered),
                interval, interval, TimeUnit.MILLISECONDS));
        return group;
    }

    private void removeMember(WebSocketConnection dashboard) {
        TickGroup<V> group = memberships.remove(dashboard);
        if (group == null) {
            return;
        }
        group.members().remove(dashboard);
        if (group.members().isEmpty()) {
            group.stopTicks();
            groups.remove(group.subscription());
        }
    }

    private static <V> Routing<V> routingOf(Iterable<TickGroup<V>> groups) {
        List<TickGroup<V>> fleet = new ArrayList<>();
        Map<String, List<TickGroup<V>>> byServer = new HashMap<>();
        for (TickGroup<V> group : groups) {
            String filter = group.subscription().serverFilter();
            if (filter == null) {
                fleet.add(group);
            } else {
                byServer.computeIfAbsent(filter, any -> new ArrayList<>()).add(group);
            }
        }
        return new Routing<>(List.copyOf(fleet), Map.copyOf(byServer));
    }
}
