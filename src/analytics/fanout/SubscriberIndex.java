package analytics.fanout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.StampedLock;

/**
 * The dashboards that take a server's metrics one message each, found by the server's id:
 * those following every server, plus those filtered to this one. A metric then costs a
 * lookup and its recipients - not a filter test of every dashboard: with 500 dashboards
 * each following one of 10,000 servers, a metric used to ask 500 filters to find one.
 *
 * Pattern: an inverted index (from server to dashboards, beside the map from dashboard to
 *          subscription) - Redis's PUBLISH keeps a dictionary from channel to subscribers
 *          for the same reason - behind a read-write lock: every producer's thread reads,
 *          a dashboard's subscribe (rare) writes. A StampedLock, not a
 *          ReentrantReadWriteLock: that one counts each reading thread's holds in a
 *          ThreadLocal, which would give every producer's virtual thread a map of its own.
 * Lesson:  lessons/09-system2-fan-out.md
 * Not here: tick dashboards (TickGroups conflates for them); what a subscription says and
 *           how it is read (Subscription).
 * Threads: any; the maps only under the lock, so a dashboard changing its filter is found
 *          exactly once by each metric - by the old filter or by the new, never both.
 *
 * @param <D> a dashboard: System 2 keys it by connection
 */
public final class SubscriberIndex<D> {

    private final StampedLock lock = new StampedLock();
    private final Map<D, Subscription> subscriptions = new HashMap<>();
    private final Set<D> everyServer = new LinkedHashSet<>();
    private final Map<String, Set<D>> byServer = new HashMap<>();

    /** Registers what the dashboard asked for, or replaces what it asked before. */
    public void put(D dashboard, Subscription subscription) {
        long stamp = lock.writeLock();
        try {
            unindex(dashboard, subscriptions.put(dashboard, subscription));
            index(dashboard, subscription);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The dashboard closed, or is no dashboard any more. */
    public void remove(D dashboard) {
        long stamp = lock.writeLock();
        try {
            unindex(dashboard, subscriptions.remove(dashboard));
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Dashboards registered, tick dashboards included. */
    public int size() {
        long stamp = lock.readLock();
        try {
            return subscriptions.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Who gets this server's metric as a message of its own now: a copy, so the sends happen
     * outside the lock. An empty list (allocated nowhere) when nobody does, so a caller can
     * skip encoding the metric.
     */
    public List<D> recipients(String serverId) {
        long stamp = lock.readLock();
        try {
            Set<D> filtered = byServer.get(serverId);
            int count = everyServer.size() + (filtered == null ? 0 : filtered.size());
            if (count == 0) {
                return List.of();
            }
            List<D> recipients = new ArrayList<>(count);
            recipients.addAll(everyServer);
            if (filtered != null) {
                recipients.addAll(filtered);
            }
            return recipients;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Under the write lock. Tick dashboards are in no set. */
    private void index(D dashboard, Subscription subscription) {
        if (subscription.ticks()) {
            return;
        }
        if (subscription.serverFilter() == null) {
            everyServer.add(dashboard);
        } else {
            byServer.computeIfAbsent(subscription.serverFilter(), id -> new LinkedHashSet<>())
                    .add(dashboard);
        }
    }

    /** Under the write lock; {@code subscription} may be null (there was none). */
    private void unindex(D dashboard, Subscription subscription) {
        if (subscription == null || subscription.ticks()) {
            return;
        }
        if (subscription.serverFilter() == null) {
            everyServer.remove(dashboard);
        } else {
            Set<D> members = byServer.get(subscription.serverFilter());
            members.remove(dashboard);
            if (members.isEmpty()) {
                byServer.remove(subscription.serverFilter()); // no map of empty sets left behind
            }
        }
    }
}
