package analytics.system1.broadcast;

import analytics.fanout.Subscription;
import analytics.fanout.TickGroups;
import analytics.websocket.WebSocketConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each dashboard of the broadcaster asked for: the server it follows, and whether it
 * takes each metric or a tick per interval (then it is also a member of a shared TickGroup).
 * A dashboard that never subscribed has no entry and receives every metric, as in the original.
 *
 * Pattern: per-connection state in the application's own typed map, not on the connection;
 *          a subscribe replaces the entry, never changes it.
 * Lesson:  lessons/13-pub-sub-fan-out.md
 * Threads: subscribe and forget on each connection's reader thread, wantsEach on the
 *          subscriber thread; a concurrent map, and TickGroups is thread-safe.
 */
final class BroadcasterSubscriptions {

    private final Map<WebSocketConnection, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Held values are the published messages' text, parsed only when a tick sends them. */
    private final TickGroups<String> ticks;

    BroadcasterSubscriptions(TickGroups<String> ticks) {
        this.ticks = ticks;
    }

    TickGroups<String> ticks() {
        return ticks;
    }

    /** Replaces what the dashboard asked before, tick group included. */
    void subscribe(WebSocketConnection dashboard, Subscription subscription) {
        subscriptions.put(dashboard, subscription);
        ticks.place(dashboard, subscription);
    }

    void forget(WebSocketConnection dashboard) {
        subscriptions.remove(dashboard);
        ticks.leave(dashboard);
    }

    /** Whether the dashboard gets this server's metrics one message each (not in ticks). */
    boolean wantsEach(WebSocketConnection dashboard, String serverId) {
        return eachMetric(subscriptions.get(dashboard), serverId);
    }

    /** A missing subscription (never subscribed) follows every server, one message each. */
    static boolean eachMetric(Subscription subscription, String serverId) {
        Subscription asked = subscription == null ? Subscription.EVERYTHING : subscription;
        return !asked.ticks() && asked.wants(serverId);
    }
}
